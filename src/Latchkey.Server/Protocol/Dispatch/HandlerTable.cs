using System.Collections.Concurrent;
using OpenIddict.Server;
using static OpenIddict.Server.OpenIddictServerEvents;

namespace Latchkey.Server.Protocol.Dispatch;

/// <summary>
/// OpenIddict's handler descriptors grouped by event type, in their order, computed once per options instance (a key
/// rotation rebuilds <see cref="OpenIddictServerOptions"/> and with it a new descriptor list, which starts a new table),
/// with each singleton handler resolved once. OpenIddict's own dispatcher walks all ~600 descriptors and asks the
/// container for every matching handler at every event, ~10 events per token request (docs/performance.md, finding 4).
/// </summary>
internal sealed class HandlerTable(IServiceProvider root)
{
    private volatile Snapshot? _snapshot;

    /// <summary>The handlers of <typeparamref name="TContext"/> in <paramref name="descriptors"/>, in order.</summary>
    public HandlerEntry<TContext>[] For<TContext>(List<OpenIddictServerHandlerDescriptor> descriptors)
        where TContext : BaseContext
    {
        var snapshot = _snapshot;
        if (snapshot is null || !ReferenceEquals(snapshot.Descriptors, descriptors))
        {
            _snapshot = snapshot = new Snapshot(descriptors);
        }

        return (HandlerEntry<TContext>[])snapshot.Entries.GetOrAdd(
            typeof(TContext), static (_, state) => Build<TContext>(state.Descriptors, state.Root), (snapshot.Descriptors, Root: root));
    }

    private static HandlerEntry<TContext>[] Build<TContext>(List<OpenIddictServerHandlerDescriptor> descriptors, IServiceProvider root)
        where TContext : BaseContext
    {
        var entries = new List<HandlerEntry<TContext>>();
        foreach (var descriptor in descriptors)
        {
            if (descriptor.ContextType != typeof(TContext))
            {
                continue;
            }

            // A singleton is the same instance from every scope, so it is resolved here once; a scoped or transient
            // handler is still resolved from the request's scope when its turn comes (OpenIddict's rule: a handler whose
            // filters say no is never built).
            var service = descriptor.ServiceDescriptor;
            var singleton = service.ImplementationInstance as IOpenIddictServerHandler<TContext>
                ?? (service.Lifetime == ServiceLifetime.Singleton ? root.GetService(service.ServiceType) as IOpenIddictServerHandler<TContext> : null);
            entries.Add(new HandlerEntry<TContext>(descriptor, singleton));
        }

        return [.. entries];
    }

    private sealed class Snapshot(List<OpenIddictServerHandlerDescriptor> descriptors)
    {
        public List<OpenIddictServerHandlerDescriptor> Descriptors { get; } = descriptors;

        public ConcurrentDictionary<Type, object> Entries { get; } = new();
    }
}
