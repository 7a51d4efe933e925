using Microsoft.Extensions.DependencyInjection;
using OpenIddict.Abstractions;
using OpenIddict.Server;
using static OpenIddict.Server.OpenIddictServerEvents;

namespace Latchkey.Server.Tests.Protocol;

/// <summary>
/// A deterministic hook for the strict-rotation race (RT-9): once <see cref="Armed"/>, refresh-token requests stop at
/// the start of sign-in (each has already read the presented token as valid, none has claimed it yet) until
/// <see cref="Parties"/> of them have arrived, then all go on together. Without this the race is left to the scheduler:
/// the first request usually redeems the token before the second reads it, and the replay check refuses the second
/// whether or not the claim that RT-9 needs exists.
/// </summary>
internal sealed class RefreshRaceBarrier
{
    private readonly TaskCompletionSource _allArrived = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _arrived;

    public volatile bool Armed;

    public int Parties { get; init; } = 2;

    /// <summary>True once every party reached the hook (a request refused earlier never arrives).</summary>
    public bool AllArrived => _allArrived.Task.IsCompleted;

    public void Register(IServiceCollection services) =>
        services.AddOpenIddict().AddServer(server => server.AddEventHandler<ProcessSignInContext>(handler => handler
            .UseInlineHandler(async context =>
            {
                if (!Armed || !context.Request.IsRefreshTokenGrantType())
                {
                    return;
                }

                if (Interlocked.Increment(ref _arrived) >= Parties)
                {
                    Armed = false;
                    _allArrived.TrySetResult();
                }

                // A missing party must not hang the server: after the wait the request goes on and the test fails on
                // AllArrived instead.
                await Task.WhenAny(_allArrived.Task, Task.Delay(TimeSpan.FromSeconds(60)));
            })
            .SetOrder(OpenIddictServerHandlers.RedeemTokenEntry.Descriptor.Order - 1_000)
            .SetType(OpenIddictServerHandlerType.Custom)));
}
