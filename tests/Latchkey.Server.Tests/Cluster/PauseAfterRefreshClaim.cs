using Microsoft.Extensions.DependencyInjection;
using OpenIddict.Abstractions;
using OpenIddict.Server;
using static OpenIddict.Server.OpenIddictServerEvents;

namespace Latchkey.Server.Tests.Cluster;

/// <summary>
/// A deterministic hook for races: once <see cref="Armed"/>, the next refresh-token request on the node that registered
/// it stops right after the presented token has been claimed (redeemed) and before the successor is issued, signals
/// <see cref="Reached"/> and waits for <see cref="Release"/>. A strict-rotation claim is written together with the
/// successor's row (Protocol/Token/RejectConcurrentRefresh), so at the pause nothing of the request is in the database yet.
/// </summary>
internal sealed class PauseAfterRefreshClaim
{
    public volatile bool Armed;

    public TaskCompletionSource Reached { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public TaskCompletionSource Release { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public void Register(IServiceCollection services) =>
        services.AddOpenIddict().AddServer(server => server.AddEventHandler<ProcessSignInContext>(handler => handler
            .UseInlineHandler(async context =>
            {
                if (Armed && context.Request.IsRefreshTokenGrantType())
                {
                    Armed = false;
                    Reached.SetResult();
                    await Release.Task.WaitAsync(TimeSpan.FromSeconds(60));
                }
            })
            .SetOrder(OpenIddictServerHandlers.RedeemTokenEntry.Descriptor.Order + 500)
            .SetType(OpenIddictServerHandlerType.Custom)));
}
