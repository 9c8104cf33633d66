// @ts-check
import eslint from '@eslint/js';
import prettier from 'eslint-config-prettier';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  {
    ignores: [
      'dist/**',
      'node_modules/**',
      'coverage/**',
      'data/**',
      // Compiled from client/ by client/build/build-client.ts; the sources are linted there.
      'public/js/**',
      'eslint.config.mjs',
      'jest.config.js',
    ],
  },
  eslint.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  prettier,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/switch-exhaustiveness-check': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'off',
    },
  },
  {
    // The browser code is TypeScript, type-checked with client/tsconfig.json like the server's.
    files: ['client/**/*.js', 'client/**/*.mjs', 'client/**/*.cjs', 'client/**/*.jsx'],
    ...tseslint.configs.disableTypeChecked,
    rules: {
      ...tseslint.configs.disableTypeChecked.rules,
      'no-restricted-syntax': [
        'error',
        {
          selector: 'Program',
          message: 'Browser code is typed: write it as client/**/*.ts, not JavaScript.',
        },
      ],
    },
  },
  // One owner per aggregate's state: only CallbackBook writes `callbacks`, ContactQueue a
  // contact's place in the queue and ContactLeases `contact_leases`; the others call their
  // transitions. Reading these entities stays open to every capability.
  {
    files: ['src/**/*.ts'],
    ignores: [
      'src/callbacks/callback-book.ts',
      'src/contacts/contact-queue.ts',
      'src/work/contact-leases.ts',
      '**/*.spec.ts',
    ],
    rules: {
      'no-restricted-syntax': ['error', ...ownedStateWrites()],
    },
  },
  {
    files: ['test/**/*.ts', '**/*.spec.ts'],
    rules: {
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/unbound-method': 'off',
    },
  },
);

/**
 * The write shapes of TypeORM on the entities whose state has one owner: `em.update(Callback,
 * ...)`, `em.getRepository(Contact).save(...)`, `...createQueryBuilder().update(ContactLease)`,
 * `.insert().into(Callback)`, `.delete().from(Contact)`, a query builder started from their
 * repository, and raw SQL writing their tables.
 */
function ownedStateWrites() {
  const entity = '/^(Callback|Contact|ContactLease)$/';
  const write =
    '/^(save|insert|update|upsert|delete|remove|softDelete|softRemove|restore|increment|decrement)$/';
  const table =
    '/\\b(update|insert\\s+(ignore\\s+)?into|replace\\s+into|delete\\s+from)\\s+[\\\\`"]*(callbacks|contacts|contact_leases)\\b/i';
  const message =
    "Callbacks, contacts' queue state and leases have one owner each (CallbackBook, ContactQueue, ContactLeases): call its transition instead of writing the table here.";
  return [
    `CallExpression[callee.property.name=${write}][arguments.0.name=${entity}]`,
    `CallExpression[callee.property.name=${write}][callee.object.callee.property.name='getRepository'][callee.object.arguments.0.name=${entity}]`,
    `CallExpression[callee.property.name=${write}][arguments.length=0]:has(CallExpression[callee.property.name='getRepository'][arguments.0.name=${entity}])`,
    `CallExpression[callee.property.name='into'][arguments.0.name=${entity}]`,
    `CallExpression[callee.property.name='from'][callee.object.callee.property.name='delete'][arguments.0.name=${entity}]`,
    `CallExpression[callee.name='InjectRepository'][arguments.0.name=/^(Callback|ContactLease)$/]`,
    `Literal[value=${table}]`,
    `TemplateElement[value.raw=${table}]`,
  ].map((selector) => ({ selector, message }));
}
