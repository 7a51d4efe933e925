using Latchkey.Server.Protocol.Audience;
using Latchkey.Server.Tenants;
using OpenIddict.Abstractions;
using OpenIddict.Server;
using static OpenIddict.Server.OpenIddictServerEvents;

namespace Latchkey.Server.Protocol.Token;

/// <summary>
/// Auth0 client grants: a client_credentials token is issued only for an <c>audience</c> that names an API the client
/// has a client grant for (<see cref="AudienceResolver.ForClientCredentials"/>). Each refusal is Auth0's
/// <c>access_denied</c> (HTTP 403, see <see cref="AttachAccessDeniedStatus"/>) with Auth0's description. Ordered where
/// OpenIddict checks audience permissions, after client authentication.
/// </summary>
internal sealed class ValidateClientCredentialsAudience(TenantCache tenants) : IOpenIddictServerHandler<ValidateTokenRequestContext>
{
    /// <summary>The transaction property carrying the <see cref="AudienceDecision"/> to <see cref="HandleClientCredentialsGrant"/>.</summary>
    internal const string DecisionProperty = "latchkey:client_grant";

    public static OpenIddictServerHandlerDescriptor Descriptor { get; } =
        OpenIddictServerHandlerDescriptor.CreateBuilder<ValidateTokenRequestContext>()
            .UseSingletonHandler<ValidateClientCredentialsAudience>()
            .SetOrder(OpenIddictServerHandlers.Exchange.ValidateAudiencePermissions.Descriptor.Order)
            .SetType(OpenIddictServerHandlerType.Custom)
            .Build();

    public async ValueTask HandleAsync(ValidateTokenRequestContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (!context.Request.IsClientCredentialsGrantType())
        {
            return;
        }

        var decision = AudienceResolver.ForClientCredentials(context.Request, context.ClientId!, await tenants.GetAsync(context.CancellationToken));
        if (!decision.Succeeded)
        {
            context.Reject(decision.Error!, decision.ErrorDescription);
            return;
        }

        context.Transaction.SetProperty(DecisionProperty, decision);
    }
}
