import{createRequire as __cr}from'node:module';const require=__cr(import.meta.url);
import{a,b}from"./chunk-O3B2AVHZ.js";import"./chunk-66HIEZZP.js";import"./chunk-J35UCUZQ.js";import"./chunk-H7VNWNIJ.js";import"./chunk-BYN7ISKW.js";import"./chunk-LF7H4S7Y.js";import"./chunk-OCMX5MN2.js";import"./chunk-K5C54X3A.js";export{b as codeFromSeed,a as resolveMfaCode};
//# sourceMappingURL=code-source-R5R3T323.js.map
