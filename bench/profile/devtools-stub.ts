// Stands in for react-devtools-core when Ink is bundled for a profile (client-cases.ts):
// Ink imports it only with DEV=true, but a bundler must resolve it either way.
export default { initialize() {}, connectToDevTools() {} };
