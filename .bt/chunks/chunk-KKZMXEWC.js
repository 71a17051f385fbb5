import{createRequire as __cr}from'node:module';const require=__cr(import.meta.url);
function d(n){let m=(n[0]??[]).map((i,a)=>Math.max(...n.map(t=>t[a]?.length??0)));return n.map(i=>`${i.map((a,t)=>a.padEnd(m[t]??0)).join("  ").trimEnd()}
`).join("")}export{d as a};
//# sourceMappingURL=chunk-KKZMXEWC.js.map
