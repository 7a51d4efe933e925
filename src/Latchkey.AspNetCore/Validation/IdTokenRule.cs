using Microsoft.IdentityModel.JsonWebTokens;

namespace Latchkey.AspNetCore.Validation;

/// <summary>
/// Refuses an OpenID Connect ID token presented as an access token. <c>typ</c> cannot tell them apart (Auth0 issues
/// access tokens with <c>typ: JWT</c>, like ID tokens), so the rule looks at what only an ID token carries:
/// <list type="bullet">
/// <item><c>nonce</c>, <c>at_hash</c>, <c>c_hash</c> or <c>s_hash</c> (OIDC Core §2, §3.1.3.6, §3.3.2.11; FAPI) — never in an access token;</item>
/// <item>an audience that is only the client itself (<c>aud</c> = <c>azp</c>/<c>client_id</c>): an access token's audience is an API, an ID token's is its client (OIDC Core §2).</item>
/// </list>
/// The audience check already refuses a normal ID token (its <c>aud</c> is a client id); this rule also holds when an
/// API identifier happens to equal a client id.
/// </summary>
internal static class IdTokenRule
{
    private static readonly string[] IdTokenOnlyClaims = ["nonce", "at_hash", "c_hash", "s_hash"];

    public static bool LooksLikeIdToken(JsonWebToken token)
    {
        foreach (var claim in IdTokenOnlyClaims)
        {
            if (token.TryGetPayloadValue<object>(claim, out _))
            {
                return true;
            }
        }

        var client = token.TryGetPayloadValue<string>("azp", out var azp) ? azp
            : token.TryGetPayloadValue<string>("client_id", out var clientId) ? clientId
            : null;
        if (string.IsNullOrEmpty(client))
        {
            return false;
        }

        var audiences = token.Audiences.ToList();
        return audiences.Count > 0 && audiences.TrueForAll(a => string.Equals(a, client, StringComparison.Ordinal));
    }
}
