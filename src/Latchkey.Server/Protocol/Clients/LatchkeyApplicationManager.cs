using System.Runtime.CompilerServices;
using Latchkey.Server.Persistence;
using Latchkey.Server.Tenants;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using OpenIddict.Abstractions;
using OpenIddict.Core;
using OpenIddict.EntityFrameworkCore.Models;

namespace Latchkey.Server.Protocol.Clients;

/// <summary>
/// OpenIddict's application manager over the tenant model instead of OpenIddict's own Applications table.
/// <para>
/// Why a manager subclass and not a custom store: the tenant tables (<see cref="Application"/>, client grants) are
/// the single source of truth and are already cached in memory by <see cref="TenantCache"/>; the lookups OpenIddict
/// makes (<c>FindByClientId</c>/<c>FindById</c>/<c>FindByRedirectUri</c>) are answered from
/// <see cref="ClientDirectory"/>, and every other read is a property getter of the EF entity, which the stock EF store
/// implements without touching the database. Nothing is copied into OpenIddict's table, so nothing can drift: codes,
/// refresh tokens and authorizations are stored without an application link (the EF store tolerates a missing row)
/// and carry the client in their <c>oi_prst</c> presenter claim, which is what OpenIddict checks.
/// Client secrets are verified by <see cref="ClientSecretHasher"/>; one stored in an older format is re-stored in the
/// current one after its first successful verification.
/// </para>
/// </summary>
internal sealed class LatchkeyApplicationManager(
    IOpenIddictApplicationCache<OpenIddictEntityFrameworkCoreApplication> cache,
    ILogger<OpenIddictApplicationManager<OpenIddictEntityFrameworkCoreApplication>> logger,
    IOptionsMonitor<OpenIddictCoreOptions> options,
    IOpenIddictApplicationStore<OpenIddictEntityFrameworkCoreApplication> store,
    ClientDirectory clients,
    ClientSecretHasher hasher,
    TenantCache tenants,
    DeferredDbContext db)
    : OpenIddictApplicationManager<OpenIddictEntityFrameworkCoreApplication>(cache, logger, options, store)
{
    public override ValueTask<OpenIddictEntityFrameworkCoreApplication?> FindByClientIdAsync(string identifier, CancellationToken cancellationToken = default) =>
        clients.FindAsync(identifier, cancellationToken);

    public override ValueTask<OpenIddictEntityFrameworkCoreApplication?> FindByIdAsync(string identifier, CancellationToken cancellationToken = default) =>
        clients.FindAsync(identifier, cancellationToken);

    public override IAsyncEnumerable<OpenIddictEntityFrameworkCoreApplication> FindByRedirectUriAsync(string uri, CancellationToken cancellationToken = default) =>
        FindWhereAsync(application => application.Callbacks.Contains(uri, StringComparer.Ordinal), cancellationToken);

    public override IAsyncEnumerable<OpenIddictEntityFrameworkCoreApplication> FindByPostLogoutRedirectUriAsync(string uri, CancellationToken cancellationToken = default) =>
        FindWhereAsync(application => application.AllowedLogoutUrls.Contains(uri, StringComparer.Ordinal), cancellationToken);

    public override async ValueTask<bool> ValidateClientSecretAsync(OpenIddictEntityFrameworkCoreApplication application, string secret, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(application);
        if (!await base.ValidateClientSecretAsync(application, secret, cancellationToken))
        {
            return false;
        }

        if (application.ClientSecret is { } stored && hasher.NeedsRehash(stored))
        {
            // Only if nobody changed it meanwhile (an import or another node's upgrade).
            var upgraded = hasher.Hash(secret);
            await db.Value.Set<Application>()
                .Where(a => a.ClientId == application.ClientId && a.ClientSecretHash == stored)
                .ExecuteUpdateAsync(update => update.SetProperty(a => a.ClientSecretHash, upgraded), cancellationToken);
            tenants.Invalidate();
        }

        return true;
    }

    protected override ValueTask<bool> ValidateClientSecretAsync(string secret, string comparand, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult(hasher.Verify(secret, comparand) != ClientSecretVerification.Failed);

    private async IAsyncEnumerable<OpenIddictEntityFrameworkCoreApplication> FindWhereAsync(
        Func<Application, bool> predicate, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var snapshot = await tenants.GetAsync(cancellationToken);
        foreach (var application in snapshot.Applications.Values.Where(predicate))
        {
            if (await clients.FindAsync(application.ClientId, cancellationToken) is { } client)
            {
                yield return client;
            }
        }
    }
}
