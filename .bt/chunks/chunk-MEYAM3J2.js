import{createRequire as __cr}from'node:module';const require=__cr(import.meta.url);
function r(e){return e.toISOString().replace(/\.\d{3}Z$/,"Z")}function n(e){return e.length>8?`${e.slice(0,4)}\u2026${e.slice(-4)}`:"\u2026"}export{r as a,n as b};
//# sourceMappingURL=chunk-MEYAM3J2.js.map
