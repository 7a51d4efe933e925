using Microsoft.Extensions.Options;
using OpenIddict.Abstractions;
using OpenIddict.Server;
using static OpenIddict.Server.OpenIddictServerEvents;

namespace Latchkey.Server.Protocol.Dispatch;

/// <summary>
/// OpenIddict's event dispatcher (<see cref="OpenIddictServerDispatcher"/>, 7.8) with the same semantics, over a
/// <see cref="HandlerTable"/>: the handlers of an event run in descriptor order; each one's filters are asked just
/// before it runs (a filter may read what an earlier handler of the same event set), and only then is a scoped handler
/// resolved; the event stops when a handler marks the request handled or skipped, or rejects it.
/// <para>
/// Why our own: OpenIddict's walks every registered descriptor (~600) for every event and resolves each matching
/// handler from the container, ~14 % of a client_credentials token's CPU (docs/performance.md, finding 4). The interface
/// is OpenIddict's extension point for this (<c>IOpenIddictServerDispatcher</c>, registered with <c>TryAddScoped</c>).
/// </para>
/// </summary>
internal sealed class TableDispatcher(
    ILogger<OpenIddictServerDispatcher> logger,
    IOptionsMonitor<OpenIddictServerOptions> options,
    IServiceProvider provider,
    HandlerTable table) : IOpenIddictServerDispatcher
{
    public async ValueTask DispatchAsync<TContext>(TContext context)
        where TContext : BaseContext
    {
        ArgumentNullException.ThrowIfNull(context);
        foreach (var (descriptor, singleton) in table.For<TContext>(options.CurrentValue.Handlers))
        {
            if (!await IsActiveAsync(descriptor, context))
            {
                continue;
            }

            var handler = singleton
                ?? provider.GetService(descriptor.ServiceDescriptor.ServiceType) as IOpenIddictServerHandler<TContext>
                ?? throw new InvalidOperationException(OpenIddictResources.FormatID0098(descriptor.ServiceDescriptor.ServiceType));
            try
            {
                await handler.HandleAsync(context);
            }
            catch (Exception exception) when (logger.IsEnabled(LogLevel.Debug) && exception is not OutOfMemoryException)
            {
                logger.LogDebug(exception, "An error occurred while invoking {Handler} for {Event}.", handler.GetType().FullName, typeof(TContext).FullName);
                throw;
            }

            if (context is BaseRequestContext { IsRequestHandled: true } or BaseRequestContext { IsRequestSkipped: true } or BaseValidatingContext { IsRejected: true })
            {
                return;
            }
        }
    }

    private async ValueTask<bool> IsActiveAsync<TContext>(OpenIddictServerHandlerDescriptor descriptor, TContext context)
        where TContext : BaseContext
    {
        foreach (var type in descriptor.FilterTypes)
        {
            var filter = provider.GetService(type) as IOpenIddictServerHandlerFilter<TContext>
                ?? throw new InvalidOperationException(OpenIddictResources.FormatID0099(type));
            if (!await filter.IsActiveAsync(context))
            {
                return false;
            }
        }

        return true;
    }
}
