using Latchkey.Server.Persistence;
using Microsoft.EntityFrameworkCore;
using OpenIddict.EntityFrameworkCore;

namespace Latchkey.Server.Protocol.Clients;

/// <summary>
/// The request's <see cref="LatchkeyDbContext"/>, resolved from its scope the first time something reads or writes.
/// OpenIddict's stores and our managers are built for every token request (its scoped handlers take them), but a
/// client_credentials token needs no database at all: OpenIddict's own <c>OpenIddictEntityFrameworkCoreContext</c>
/// takes the context in its constructor, and building a <c>DbContext</c> (EF Core's service-provider lookup, the
/// <c>DbSet</c> initialisation, its disposal) was ~4 % of that grant's CPU (docs/performance.md, finding 4). The
/// context is the scope's one instance either way, so every store and handler still shares it.
/// </summary>
internal sealed class DeferredDbContext(IServiceProvider scope) : IOpenIddictEntityFrameworkCoreContext
{
    private LatchkeyDbContext? _context;

    public LatchkeyDbContext Value => _context ??= scope.GetRequiredService<LatchkeyDbContext>();

    public ValueTask<DbContext> GetDbContextAsync(CancellationToken cancellationToken) =>
        cancellationToken.IsCancellationRequested ? ValueTask.FromCanceled<DbContext>(cancellationToken) : ValueTask.FromResult<DbContext>(Value);
}
