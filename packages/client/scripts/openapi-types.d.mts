/** Where the generated types live, relative to packages/client. */
export declare const GENERATED_FILE: string;
/** The TypeScript text of an OpenAPI document, as checked in at GENERATED_FILE. */
export declare function renderOpenApiTypes(document: object): Promise<string>;
