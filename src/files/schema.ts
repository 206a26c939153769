import { Type, type Static } from '@sinclair/typebox';

export const FileKindSchema = Type.Union([Type.Literal('pdf'), Type.Literal('jpeg'), Type.Literal('png')]);

export const FileView = Type.Object({
  id: Type.String(),
  sha256: Type.String({ description: 'SHA-256 of the content, hex' }),
  type: FileKindSchema,
  size: Type.Integer({ description: 'Bytes' }),
  filename: Type.String({ description: 'The uploaded name, sanitised, with the extension of the real type' }),
  createdAt: Type.String(),
  attached: Type.Boolean({ description: 'Already a material of an application' }),
});
export type FileView = Static<typeof FileView>;

export const FileParams = Type.Object({ id: Type.String({ maxLength: 64 }) });

export const UploadQuery = Type.Object(
  {
    types: Type.Optional(
      Type.String({
        maxLength: 20,
        pattern: '^(pdf|jpeg|png)(,(pdf|jpeg|png)){0,2}$',
        description: 'Accept only these types, comma-separated (pdf,jpeg,png); all three when absent',
      }),
    ),
    maxSizeMb: Type.Optional(Type.Integer({ minimum: 1, maximum: 20, description: "The material's limit in MB; 20 when absent" })),
  },
);
export type UploadQuery = Static<typeof UploadQuery>;
