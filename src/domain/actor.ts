/**
 * Who a request acts for, as its API key says: an admin acts for anyone, a user key for its
 * user alone. Use cases that change a user's data take one and check it.
 */
export type Actor = { readonly kind: 'admin'; readonly keyId: string | null } | { readonly kind: 'user'; readonly userId: number; readonly keyId: string };

/** An admin acting through the operator's key (ADMIN_API_KEY), or as the library's own caller. */
export const ADMIN: Actor = { kind: 'admin', keyId: null };

/** Whether `actor` may act on what `userId` owns. */
export const actsFor = (actor: Actor, userId: number): boolean => actor.kind === 'admin' || actor.userId === userId;
