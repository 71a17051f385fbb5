import{createRequire as __cr}from'node:module';const require=__cr(import.meta.url);
import{a as b,b as c}from"./chunk-VEJBXHZD.js";import{b as a}from"./chunk-R7JBTCXD.js";import"./chunk-GAJPDGJF.js";import"./chunk-HDSRF2YJ.js";import"./chunk-OCMX5MN2.js";import"./chunk-ZEBTNEXY.js";import"./chunk-5EXTTRQP.js";import"./chunk-K2MNY4VM.js";import"./chunk-IMZTFCTV.js";import"./chunk-GIIHO7R2.js";import"./chunk-Y4OFNP4B.js";import"./chunk-DSHDLVBN.js";import"./chunk-K5C54X3A.js";export{a as DEFAULT_REGION,c as getCallerIdentity,b as getSessionToken};
//# sourceMappingURL=sts-QSXU3LYO.js.map
