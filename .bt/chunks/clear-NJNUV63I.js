import{createRequire as __cr}from'node:module';const require=__cr(import.meta.url);
import{a as s}from"./chunk-H7VNWNIJ.js";import"./chunk-OCMX5MN2.js";import"./chunk-K5C54X3A.js";async function a(r,e){if(r!==void 0){let o=s(r),n=await e.cache.delete(o);return e.io.writeStderr(n?`aws-mfa: dropped the cached session of ${o}
`:`aws-mfa: no cached session for ${o}
`),0}let i=await e.cache.deleteAll();return e.io.writeStderr(`aws-mfa: dropped ${i} cached session${i===1?"":"s"}
`),0}export{a as clearCommand};
//# sourceMappingURL=clear-NJNUV63I.js.map
