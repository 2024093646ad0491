export interface User {
  readonly id: number;
  readonly name: string;
  readonly email: string;
  readonly created_at: Date;
}

export interface NewUser {
  readonly name: string;
  readonly email: string;
}
