using Latchkey.Server.Tenants;

namespace Latchkey.Server.Actions;

/// <summary>
/// The credentials-exchange trigger: runs before a client_credentials access token is issued
/// (<c>Protocol/Token/HandleClientCredentialsGrant</c>). Offers <c>api.accessToken.setCustomClaim</c>,
/// <c>api.access.deny(code, reason)</c> and <c>api.cache</c>. Returns null when nothing is bound (the zero-cost path).
/// </summary>
internal sealed class CredentialsExchangeActions(ActionCatalog catalog, ActionChain chain, IHttpContextAccessor http)
{
    public async ValueTask<ActionDecisions?> RunAsync(Application application, Api api, IReadOnlyCollection<string> scopes, CancellationToken cancellationToken)
    {
        var actions = await catalog.ForTriggerAsync(ActionTriggers.CredentialsExchange, cancellationToken);
        if (actions.Count == 0)
        {
            return null;
        }

        var @event = ActionEvents.CredentialsExchange(application, api, scopes, http.HttpContext);
        return chain.Run(ActionTriggers.CredentialsExchange, actions, (action, _) =>
        {
            @event["secrets"] = ActionEvents.Secrets(action);
            return @event;
        }, cancellationToken);
    }
}
