import{createRequire as __cr}from'node:module';const require=__cr(import.meta.url);
import{b as e,d as n}from"./chunk-OCMX5MN2.js";async function u(p,o,i,m){let t;try{t=p.openTerminal()}catch(r){throw new e(`cannot ask for ${o}`,"no terminal to prompt on",{hint:m,cause:r})}try{return await i(await import("./dist-HKTGCP33.js"),{input:t.input,output:t.output})}catch(r){throw r instanceof Error&&(r.name==="ExitPromptError"||r.name==="AbortPromptError")?new n(`${o.replace(/^the /,"")} prompt`):r}finally{t.close()}}export{u as a};
//# sourceMappingURL=chunk-66HIEZZP.js.map
