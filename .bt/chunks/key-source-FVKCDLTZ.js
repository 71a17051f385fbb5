import{createRequire as __cr}from'node:module';const require=__cr(import.meta.url);
import{a}from"./chunk-JI24LJGN.js";import"./chunk-OCMX5MN2.js";import"./chunk-K5C54X3A.js";export{a as resolveKeySource};
//# sourceMappingURL=key-source-FVKCDLTZ.js.map
