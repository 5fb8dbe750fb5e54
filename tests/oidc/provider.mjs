// A real OpenID Connect provider (node-oidc-provider) for the board's end-to-end sign-in
// test. Development interactions: any login name is accepted with any password; the accounts
// below decide the claims (roles and gemeenten) that the board turns into a user.
// Usage: node provider.mjs PORT REDIRECT_URI CLIENT_SECRET
import Provider from 'oidc-provider';

const [port, redirectUri, clientSecret] = process.argv.slice(2);
const ACCOUNTS = {
  'lezer-zwolle': { email: 'lezer@zwolle.example', roles: ['lezer'], gemeenten: ['Zwolle'] },
  'fg-zwolle': { email: 'fg@zwolle.example', roles: ['fg'], gemeenten: ['Zwolle'] },
  'niemand': { email: 'niemand@elders.example', roles: [], gemeenten: [] },
};

const provider = new Provider(`http://127.0.0.1:${port}`, {
  clients: [{
    client_id: 'onrustradar',
    client_secret: clientSecret,
    redirect_uris: [redirectUri],
    post_logout_redirect_uris: [redirectUri.replace(/oauth2callback$/, '')],
    grant_types: ['authorization_code'],
    response_types: ['code'],
  }],
  claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['name', 'roles', 'gemeenten'] },
  // Put the scope's claims into the ID token: Streamlit reads the user from it.
  conformIdTokenClaims: false,
  features: { devInteractions: { enabled: true } },
  cookies: { keys: ['onrustradar-test-cookie-key-0123456789'] },
  async findAccount(ctx, id) {
    const account = ACCOUNTS[id] || { email: `${id}@onbekend.example`, roles: [], gemeenten: [] };
    return {
      accountId: id,
      async claims() {
        return { sub: id, email: account.email, email_verified: true, name: id,
                 roles: account.roles, gemeenten: account.gemeenten };
      },
    };
  },
});
provider.proxy = false;
provider.listen(Number(port), '127.0.0.1', () => console.log(`oidc provider on http://127.0.0.1:${port}`));
