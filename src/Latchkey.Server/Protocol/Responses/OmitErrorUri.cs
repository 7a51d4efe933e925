using OpenIddict.Server;
using static OpenIddict.Server.OpenIddictServerEvents;

namespace Latchkey.Server.Protocol.Responses;

/// <summary>
/// Error bodies are <c>{"error","error_description"}</c> as Auth0 sends them; OpenIddict's <c>error_uri</c> points at
/// the engine's documentation, which tells a client nothing it can act on and names our engine.
/// </summary>
internal sealed class OmitErrorUri<TContext> : IOpenIddictServerHandler<TContext>
    where TContext : BaseRequestContext
{
    public static OpenIddictServerHandlerDescriptor Descriptor { get; } =
        OpenIddictServerHandlerDescriptor.CreateBuilder<TContext>()
            .UseSingletonHandler<OmitErrorUri<TContext>>()
            .SetOrder(int.MinValue + 200_000)
            .SetType(OpenIddictServerHandlerType.Custom)
            .Build();

    public ValueTask HandleAsync(TContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.Transaction.Response is { } response && !string.IsNullOrEmpty(response.Error))
        {
            response.ErrorUri = null;
        }

        return ValueTask.CompletedTask;
    }
}
