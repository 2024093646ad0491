/** Room for the multipart envelope around an upload's file: boundaries, part headers, small fields. */
export const UPLOAD_ENVELOPE_BYTES = 64 * 1024;
