using OpenIddict.Server;
using static OpenIddict.Abstractions.OpenIddictConstants;
using static OpenIddict.Server.OpenIddictServerEvents;

namespace Latchkey.Server.Protocol.Protection;

/// <summary>
/// Shapes the JWTs that leave the server (access and ID tokens) just before they are signed:
/// <list type="bullet">
/// <item>drops OpenIddict's private <c>oi_*</c> claims (presenter, authorization id, token id): they are engine
/// bookkeeping, and OpenIddict re-derives what it needs when it reads its own tokens (<c>azp</c>/<c>aud</c>/
/// <c>scope</c>). The cost is known and accepted: access tokens are not stored (refresh-only storage), so they
/// cannot be revoked individually anyway (docs/reference/openiddict.md §3, §7);</item>
/// <item>writes <c>permissions</c> as a JSON array even with one element (Auth0 RBAC; express-jwt-authz and
/// <c>claimIncludes</c> expect an array, docs/reference/openiddict.md §3).</item>
/// </list>
/// </summary>
internal sealed class OmitPrivateTokenClaims : IOpenIddictServerHandler<GenerateTokenContext>
{
    public static OpenIddictServerHandlerDescriptor Descriptor { get; } =
        OpenIddictServerHandlerDescriptor.CreateBuilder<GenerateTokenContext>()
            .UseSingletonHandler<OmitPrivateTokenClaims>()
            .SetOrder(OpenIddictServerHandlers.Protection.AttachTokenMetadata.Descriptor.Order + 500)
            .SetType(OpenIddictServerHandlerType.Custom)
            .Build();

    public ValueTask HandleAsync(GenerateTokenContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.TokenType is not (TokenTypeIdentifiers.AccessToken or TokenTypeIdentifiers.IdentityToken)
            || context.SecurityTokenDescriptor.Subject is not { } subject)
        {
            return ValueTask.CompletedTask;
        }

        var permissions = new List<string>();
        var permissionsEnabled = false;
        foreach (var claim in subject.Claims.ToList())
        {
            if (claim.Type.StartsWith("oi_", StringComparison.Ordinal))
            {
                subject.RemoveClaim(claim);
            }
            else if (claim.Type == LatchkeyClaims.PermissionsEnabled)
            {
                permissionsEnabled = true;
                subject.RemoveClaim(claim);
            }
            else if (claim.Type == LatchkeyClaims.Permissions)
            {
                permissions.Add(claim.Value);
                subject.RemoveClaim(claim);
            }
        }

        if (permissionsEnabled && context.TokenType == TokenTypeIdentifiers.AccessToken)
        {
            var claims = context.SecurityTokenDescriptor.Claims ?? new Dictionary<string, object>(StringComparer.Ordinal);
            claims[LatchkeyClaims.Permissions] = permissions.ToArray();
            context.SecurityTokenDescriptor.Claims = claims;
        }

        return ValueTask.CompletedTask;
    }
}
