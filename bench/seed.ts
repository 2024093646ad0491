import postgres from 'postgres';

/** Inserts one user and `count` products owned by it; returns the products' ids. */
export async function seedProducts(databaseUrl: string, count: number): Promise<string[]> {
  const sql = postgres(databaseUrl, { max: 1, onnotice: () => undefined });
  try {
    const [user] = await sql<{ id: string }[]>`
      insert into users (name, email) values ('Bench User', 'bench@example.com') returning id`;
    if (!user) throw new Error('seeding: no user id returned');
    const rows = await sql<{ id: string }[]>`
      insert into products (user_id, product_name, product_description, product_price)
      select ${user.id}, 'Product ' || g, 'Description of product ' || g, (g % 1000) + 0.99
      from generate_series(1, ${count}::int) as g
      returning id`;
    return rows.map((row) => String(row.id));
  } finally {
    await sql.end({ timeout: 5 });
  }
}
