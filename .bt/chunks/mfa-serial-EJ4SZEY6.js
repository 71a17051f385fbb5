import{createRequire as __cr}from'node:module';const require=__cr(import.meta.url);
import{a,b}from"./chunk-5IY4JQWJ.js";import"./chunk-KX4UBN5X.js";import"./chunk-BYN7ISKW.js";import"./chunk-LF7H4S7Y.js";import"./chunk-OCMX5MN2.js";import"./chunk-K5C54X3A.js";export{a as resolveMfaSerial,b as saveMfaSerial};
//# sourceMappingURL=mfa-serial-EJ4SZEY6.js.map
