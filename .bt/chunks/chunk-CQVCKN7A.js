import{createRequire as __cr}from'node:module';const require=__cr(import.meta.url);
import{a as n}from"./chunk-MEYAM3J2.js";var t=["AWS_PROFILE"];function A(s,E){let S=[["AWS_ACCESS_KEY_ID",s.accessKeyId],["AWS_SECRET_ACCESS_KEY",s.secretAccessKey],["AWS_SESSION_TOKEN",s.sessionToken],["AWS_CREDENTIAL_EXPIRATION",n(s.expiration)]];return E&&S.push(["AWS_REGION",E],["AWS_DEFAULT_REGION",E]),S}export{t as a,A as b};
//# sourceMappingURL=chunk-CQVCKN7A.js.map
