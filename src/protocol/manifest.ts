// The manifest `GET {base}` answers with (PROTOCOL.md §2).

export const MANIFEST_VERSION = 1;

/** A JSON Schema object; kept loose because it comes from any schema library. */
export type JsonSchema = Record<string, unknown>;

export interface ManifestAction {
  name: string;
  description: string;
  streams: boolean;
  input: JsonSchema;
}

export interface Manifest {
  version: number;
  actions: ManifestAction[];
}
