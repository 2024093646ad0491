/** Input bounds shared by the use cases and the HTTP schemas (which document them). */
export const LIMITS = {
  nameMaxLength: 200,
  descriptionMaxLength: 5000,
  imagesMax: 10,
  imageUrlMaxLength: 2048,
  userNameMaxLength: 200,
  emailMaxLength: 320,
  listDefaultLimit: 50,
  listMaxLimit: 200,
  idempotencyKeyMaxLength: 255,
} as const;
