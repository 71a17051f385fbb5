import{createRequire as __cr}from'node:module';const require=__cr(import.meta.url);
import{a as e}from"./chunk-Q27IMCID.js";import"./chunk-T76SJ64I.js";import"./chunk-6MXIGST2.js";import"./chunk-H7VNWNIJ.js";import"./chunk-BYN7ISKW.js";import"./chunk-GAJPDGJF.js";import{a as t}from"./chunk-PJ7TW2EC.js";import"./chunk-MEYAM3J2.js";import"./chunk-SVJET34R.js";import"./chunk-LF7H4S7Y.js";import"./chunk-OCMX5MN2.js";import"./chunk-K5C54X3A.js";async function m(r,o){let{credentials:i}=await e(r,o);return o.writeStdout(`${JSON.stringify(t(i))}
`),0}export{m as credentialProcessCommand};
//# sourceMappingURL=credential-process-KX6BXTW7.js.map
