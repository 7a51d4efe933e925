using Latchkey.Server.Tenants;
using OpenIddict.Abstractions;
using OpenIddict.Server;
using static OpenIddict.Abstractions.OpenIddictConstants;
using static OpenIddict.Server.OpenIddictServerEvents;

namespace Latchkey.Server.Protocol.Handlers;

/// <summary>
/// Auth0 client grants: a client_credentials token is issued only for an <c>audience</c> that names an API the
/// client has a client grant for. Each refusal is Auth0's <c>access_denied</c> (HTTP 403, see
/// <see cref="AttachAccessDeniedStatus"/>) with Auth0's description. Runs after client authentication, so an
/// unauthenticated caller learns nothing about APIs or grants.
/// </summary>
internal sealed class ValidateClientCredentialsAudience(TenantCache tenants) : IOpenIddictServerHandler<ValidateTokenRequestContext>
{
    internal const string GrantProperty = "latchkey:client_grant";

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

        var audiences = context.Request.GetAudiences();
        if (audiences.Length == 0)
        {
            context.Reject(Errors.AccessDenied, "No audience parameter was provided, and no default audience has been configured");
            return;
        }

        if (audiences.Length > 1)
        {
            context.Reject(Errors.InvalidRequest, "Only one audience may be requested.");
            return;
        }

        var audience = audiences[0];
        var tenant = await tenants.GetAsync(context.CancellationToken);
        if (!tenant.Apis.TryGetValue(audience, out var api))
        {
            context.Reject(Errors.AccessDenied, AudienceErrors.ServiceNotFound(audience));
            return;
        }

        if (!tenant.Grants.TryGetValue((context.ClientId!, audience), out var grant))
        {
            context.Reject(Errors.AccessDenied,
                $"Client is not authorized to access \"{audience}\". You need to create a \"client-grant\" associated to this API. See: https://auth0.com/docs/api/v2#!/Client_Grants/post_client_grants");
            return;
        }

        context.Transaction.SetProperty(GrantProperty, new ClientCredentialsDecision(api, grant));
    }
}
