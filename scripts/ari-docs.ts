export interface AriDocs {
  resources: Readonly<Record<string, string>>;
  operations: Readonly<Record<string, string>>;
  params: Readonly<Record<string, string>>;
  errors: Readonly<Record<string, string>>;
  models: Readonly<Record<string, string>>;
  fields: Readonly<Record<string, string>>;
}
export const ARI_DOCS: AriDocs = { resources: {}, operations: {}, params: {}, errors: {}, models: {}, fields: {} };
