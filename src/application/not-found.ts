import { domainError, type DomainError } from '../domain/index.js';

export const productNotFound = (id: number): DomainError =>
  domainError('product.not_found', `Product ${id} does not exist.`);

export const userNotFound = (id: number): DomainError =>
  domainError('user.not_found', `User ${id} does not exist.`);
