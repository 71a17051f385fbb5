import{createRequire as __cr}from'node:module';const require=__cr(import.meta.url);
import{a,b,c,d,e,f,g}from"./chunk-ZEBTNEXY.js";import"./chunk-GIIHO7R2.js";import"./chunk-Y4OFNP4B.js";import"./chunk-DSHDLVBN.js";import"./chunk-K5C54X3A.js";export{f as ENV_ACCOUNT_ID,e as ENV_CREDENTIAL_SCOPE,d as ENV_EXPIRATION,a as ENV_KEY,b as ENV_SECRET,c as ENV_SESSION,g as fromEnv};
//# sourceMappingURL=dist-es-ZEVSHH7H.js.map
