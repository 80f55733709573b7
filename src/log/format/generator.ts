// The build may define the package version (tsup `define: { __CAPA_KIT_VERSION__: ... }`);
// run from source, it is not defined and the log says so.
declare const __CAPA_KIT_VERSION__: string | undefined;

/** Who writes a log by default: capa-kit, at this build's version. */
export const GENERATOR: { readonly name: string; readonly version: string } = {
  name: 'capa-kit',
  version: typeof __CAPA_KIT_VERSION__ === 'string' ? __CAPA_KIT_VERSION__ : '0.0.0-source',
};
