import{createRequire as __cr}from'node:module';const require=__cr(import.meta.url);
import{b as n}from"./chunk-O3B2AVHZ.js";import"./chunk-66HIEZZP.js";import"./chunk-J35UCUZQ.js";import{a as r}from"./chunk-H7VNWNIJ.js";import"./chunk-BYN7ISKW.js";import"./chunk-LF7H4S7Y.js";import{c as t}from"./chunk-OCMX5MN2.js";import"./chunk-K5C54X3A.js";async function y(a,e){let o=r(a),i=await(await e.openProfileKeychain()).get(o);if(!i?.totpSeed)throw new t(`no TOTP seed for ${o}`,i?"its keychain item holds keys only":"the keychain holds no item for it",{hint:`store one with \`aws-mfa add ${o} --totp\``});let{code:m,validUntil:c}=await n(i.totpSeed,e);e.io.writeStdout(`${m}
`);let s=Math.max(0,Math.round((c.getTime()-e.io.now().getTime())/1e3));return e.io.notice(`aws-mfa: valid for ${s} s more
`),0}export{y as codeCommand};
//# sourceMappingURL=code-MMPCVBVA.js.map
