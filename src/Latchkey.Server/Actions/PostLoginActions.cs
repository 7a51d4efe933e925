using System.Text.Json.Nodes;
using Latchkey.Server.Persistence;
using Latchkey.Server.Tenants.Rules;
using Latchkey.Server.Users;
using Microsoft.EntityFrameworkCore;

namespace Latchkey.Server.Actions;

/// <summary>
/// The post-login trigger, step 2 of <c>Protocol/UserTokens/UserTokenPrincipal</c>: at <c>/authorize</c> and at every
/// refresh (Auth0 runs post-login on refresh too, with <c>event.transaction.protocol</c> = <c>oauth2-refresh-token</c>).
/// Returns null when nothing is bound (the zero-cost path). Metadata set by the Actions is merged into the user after
/// the chain with Auth0's rule (<see cref="UserMetadata.Merge"/>), also when an Action denied, never when one failed.
/// Each Action sees the metadata the previous ones set.
/// </summary>
internal sealed class PostLoginActions(
    ActionCatalog catalog,
    ActionChain chain,
    IHttpContextAccessor http,
    IServiceScopeFactory scopes,
    TimeProvider time,
    ILogger<PostLoginActions> logger)
{
    public async ValueTask<ActionDecisions?> RunAsync(PostLoginContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var actions = await catalog.ForTriggerAsync(ActionTriggers.PostLogin, cancellationToken);
        if (actions.Count == 0)
        {
            return null;
        }

        var @event = ActionEvents.PostLogin(context, http.HttpContext);
        var user = @event["user"]!.AsObject();
        var decisions = chain.Run(ActionTriggers.PostLogin, actions, (action, sofar) =>
        {
            user["user_metadata"] = UserMetadata.Parse(Merged(context.User.UserMetadata, sofar.UserMetadata));
            user["app_metadata"] = UserMetadata.Parse(Merged(context.User.AppMetadata, sofar.AppMetadata));
            @event["secrets"] = ActionEvents.Secrets(action);
            return @event;
        }, cancellationToken);

        if (decisions.Failure is null && decisions.HasMetadata)
        {
            decisions.Failure = await PersistMetadataAsync(context.User.UserId, decisions, cancellationToken);
        }

        return decisions;
    }

    private async Task<ActionFailure?> PersistMetadataAsync(string userId, ActionDecisions decisions, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<LatchkeyDbContext>();
        var user = await db.Set<User>().FirstOrDefaultAsync(u => u.UserId == userId, cancellationToken);
        if (user is null)
        {
            return null;
        }

        var userMetadata = Merged(user.UserMetadata, decisions.UserMetadata);
        var appMetadata = Merged(user.AppMetadata, decisions.AppMetadata);
        if ((UserRules.Metadata(userMetadata) ?? UserRules.Metadata(appMetadata)) is { } problem)
        {
            var failure = new ActionFailure(decisions.Executed[^1], "metadata refused", problem);
            logger.LogWarning("Metadata set by Actions {Actions} was refused: {Problem}", decisions.Executed, problem);
            return failure;
        }

        user.UserMetadata = userMetadata;
        user.AppMetadata = appMetadata;
        user.UpdatedAt = time.GetUtcNow();
        await db.SaveChangesAsync(cancellationToken);
        return null;
    }

    /// <summary>The stored metadata after the Actions' <c>setUserMetadata</c> calls (none: unchanged, not cleared).</summary>
    private static string Merged(string current, JsonObject set) => set.Count == 0 ? current : UserMetadata.Merge(current, set);
}
