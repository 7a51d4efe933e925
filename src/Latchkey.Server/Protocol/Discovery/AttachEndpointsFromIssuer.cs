using OpenIddict.Server;
using static OpenIddict.Server.OpenIddictServerEvents;

namespace Latchkey.Server.Protocol.Discovery;

/// <summary>
/// OpenID Connect Discovery §3 / RFC 8414 §2: every endpoint is advertised under the issuer. OpenIddict builds them
/// from the request's host instead (docs/reference/openiddict.md §1), so a client that reached us as 127.0.0.1 would be sent to another
/// origin than the issuer's. Also advertises <c>oidc/logout</c> (Auth0's OIDC end-session path) and the <c>none</c>
/// client authentication method used by public clients (token and revocation endpoints).
/// </summary>
internal sealed class AttachEndpointsFromIssuer : IOpenIddictServerHandler<HandleConfigurationRequestContext>
{
    public static OpenIddictServerHandlerDescriptor Descriptor { get; } =
        OpenIddictServerHandlerDescriptor.CreateBuilder<HandleConfigurationRequestContext>()
            .UseSingletonHandler<AttachEndpointsFromIssuer>()
            .SetOrder(OpenIddictServerHandlers.Discovery.AttachEndpoints.Descriptor.Order + 1)
            .SetType(OpenIddictServerHandlerType.Custom)
            .Build();

    public ValueTask HandleAsync(HandleConfigurationRequestContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var issuer = context.Options.Issuer ?? throw new InvalidOperationException("The issuer is not configured.");

        context.AuthorizationEndpoint = new Uri(issuer, ProtocolPaths.Authorize);
        context.TokenEndpoint = new Uri(issuer, ProtocolPaths.Token);
        context.UserInfoEndpoint = new Uri(issuer, ProtocolPaths.UserInfo);
        context.RevocationEndpoint = new Uri(issuer, ProtocolPaths.Revoke);
        context.JsonWebKeySetEndpoint = new Uri(issuer, ProtocolPaths.JsonWebKeySet);
        context.EndSessionEndpoint = new Uri(issuer, ProtocolPaths.OidcLogout);
        context.IntrospectionEndpoint = null;
        context.DeviceAuthorizationEndpoint = null;
        context.PushedAuthorizationEndpoint = null;

        context.TokenEndpointAuthenticationMethods.Add("none");
        context.RevocationEndpointAuthenticationMethods.Add("none");
        return ValueTask.CompletedTask;
    }
}
