// node-forge's own files, loaded one by one by forge.ts; their typed shape is cast there from @types/node-forge.
declare module "node-forge/lib/asn1.js" {
  const asn1: unknown;
  export default asn1;
}
declare module "node-forge/lib/util.js" {
  const util: unknown;
  export default util;
}
