using OpenIddict.Server;
using static OpenIddict.Server.OpenIddictServerEvents;

namespace Latchkey.Server.Protocol.Dispatch;

/// <summary>One handler of an event: its descriptor (filters, service) and, for a singleton, the instance.</summary>
internal readonly record struct HandlerEntry<TContext>(OpenIddictServerHandlerDescriptor Descriptor, IOpenIddictServerHandler<TContext>? Singleton)
    where TContext : BaseContext;
