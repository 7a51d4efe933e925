using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Latchkey.Server.Hosting;
using Latchkey.Server.Persistence;
using Latchkey.Server.Tenants;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Primitives;
using Microsoft.IdentityModel.Tokens;
using OpenIddict.Server;

namespace Latchkey.Server.Protocol.Keys;

/// <summary>
/// The signing and encryption keys every node shares, kept in the database (private parts protected with the Data
/// Protection ring, itself in the database).
/// <list type="bullet">
/// <item>Signing keys live as <see cref="SigningKeyState">next → current → previous</see>. There is always a next key:
/// it is published in the JWKS from its creation, one rotation before it signs anything, so relying parties that
/// cached the JWKS know it when it takes over (OIDC Core §10.1.1). Previous keys stay published (and verifying) until
/// every token they signed has expired (<see cref="Retention"/>).</item>
/// <item>Rotation and revocation are tenant writes (<see cref="TenantWriter"/>: the change and the tenant-version bump in
/// one transaction), a rotation taken by one node at a time (a PostgreSQL transaction advisory lock): automatic when
/// the current key has signed for <see cref="KeyOptions.RotationInterval"/> and the next one has been published for
/// <see cref="KeyOptions.PublishBeforeUse"/>, or at once on <see cref="RotateAsync"/> (Auth0's
/// <c>POST /api/v2/keys/signing/rotate</c>).</item>
/// <item>Every node re-reads the rows when the tenant version moves (<see cref="TenantCache.GetChangeToken"/>: at once on
/// the writing node, within <see cref="TenantVersionWatcher.Interval"/> elsewhere) and every
/// <see cref="KeyOptions.ScheduleCheckInterval"/> (<see cref="ProtocolKeyRefresher"/>, which also starts scheduled
/// rotations); when the set changes it swaps <see cref="Current"/> and fires the change token OpenIddict's options
/// monitor listens to, so the options are rebuilt with the new credentials without a restart.</item>
/// <item>One AES-256 key (<see cref="ProtocolKeyUse.SymmetricEncryption"/>, key wrap A256KW) encrypts authorization codes
/// and refresh tokens: unlike RSA-OAEP, reading a presented token costs no RSA private-key operation, and a fresh
/// database needs no second RSA key generation (docs/performance.md, finding 3). A database created by an older build
/// keeps its RSA encryption key, decrypt-only, so the refresh tokens it protected still work. Neither rotates, so
/// outstanding refresh tokens survive restarts.</item>
/// </list>
/// </summary>
internal sealed class ProtocolKeyRing(
    IServiceScopeFactory scopes,
    IDataProtectionProvider dataProtection,
    TenantCache tenants,
    IOptions<LatchkeyOptions> options,
    TimeProvider time,
    ILoggerFactory loggers,
    ILogger<ProtocolKeyRing> logger) : IOptionsChangeTokenSource<OpenIddictServerOptions>, IDisposable
{
    /// <summary>Certificates only carry the public key to relying parties; their validity is wide and not what retires a key.</summary>
    internal static readonly TimeSpan CertificateLifetime = TimeSpan.FromDays(5 * 365);

    /// <summary>Auth0's longest ID token lifetime (36,000 s); ID tokens are signed too.</summary>
    private static readonly TimeSpan LongestIdTokenLifetime = TimeSpan.FromSeconds(36_000);

    /// <summary>Clock skew between the nodes and the relying parties.</summary>
    private static readonly TimeSpan RetentionMargin = TimeSpan.FromHours(1);

    /// <summary>Rotation: one node at a time (a different key from start-up's, which may be held while this runs).</summary>
    private const long RotationLockKey = AdvisoryLock.StartupKey + 1;

    private const int KeySize = 2048;

    /// <summary>AES-256 (A256KW).</summary>
    private const int SymmetricKeyBytes = 32;

    private readonly IDataProtector _protector = dataProtection.CreateProtector("Latchkey.Protocol.Keys.v1");
    private readonly ConcurrentDictionary<string, SecurityKey> _opened = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _gate = new(1, 1);
    private CancellationTokenSource _changed = new();
    private readonly KeyOptions _settings = options.Value.Keys;
    private volatile ProtocolKeySet _current = ProtocolKeySet.Empty;
    private IDisposable? _tenantChanges;

    public ProtocolKeySet Current => _current;

    public IReadOnlyList<SigningCredentials> SigningCredentials => _current.Signing;

    public string? Name => Options.DefaultName;

    public IChangeToken GetChangeToken() => new CancellationChangeToken(Volatile.Read(ref _changed).Token);

    /// <summary>
    /// Start-up (under the start-up lock): creates what is missing (the first current and next signing keys, the
    /// encryption key), then loads the set.
    /// </summary>
    public async Task InitializeAsync(CancellationToken cancellationToken = default)
    {
        var step = StartupTimeline.Now;
        await using (var scope = scopes.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<LatchkeyDbContext>();
            var now = time.GetUtcNow();
            var keys = await db.Set<ProtocolKey>().ToListAsync(cancellationToken);
            var signing = keys.Where(k => k.Use == ProtocolKeyUse.Signing && k.RevokedAt is null).ToList();
            var generation = keys.Where(k => k.Use == ProtocolKeyUse.Signing).Select(k => k.Generation).DefaultIfEmpty(0).Max();
            var unused = signing.Where(k => k.ActivatedAt is null).OrderBy(k => k.Generation).ToList();
            var missing = new List<Func<ProtocolKey>>();
            if (!signing.Any(IsCurrent))
            {
                // First start (or every key that signed was revoked): the published next key takes over, else a new one.
                if (unused.FirstOrDefault() is { } promoted)
                {
                    promoted.ActivatedAt = now;
                    unused.Remove(promoted);
                }
                else
                {
                    var current = ++generation;
                    missing.Add(() => CreateSigningKey(current, now, activatedAt: now));
                }
            }

            if (unused.Count == 0)
            {
                var next = ++generation;
                missing.Add(() => CreateSigningKey(next, now));
            }

            if (!keys.Any(k => k.Use == ProtocolKeyUse.SymmetricEncryption))
            {
                missing.Add(() => CreateSymmetricEncryptionKey(now));
            }

            // An RSA-2048 generation is a random prime search (0.1–0.5 s of a core each); a first start makes two (the
            // current and next signing keys, beside the cheap AES encryption key): in parallel, each on its own core.
            // Rows are added in generation order once all are made, so what is saved is what the sequential code saved.
            db.AddRange(await Task.WhenAll(missing.Select(create => Task.Run(create, cancellationToken))));

            if (db.ChangeTracker.HasChanges())
            {
                await db.SaveChangesAsync(cancellationToken);
                logger.LogInformation("Created the missing protocol keys.");
            }

            step = StartupTimeline.Mark(scope.ServiceProvider, "protocol keys: read, created the missing ones", step);
        }

        await RefreshAsync(cancellationToken);
        StartupTimeline.Mark(loggers, "protocol keys: loaded (Data Protection unprotect, certificates)", step);

        // A rotation or revocation on any node moves the tenant version: follow it at once instead of at the next check.
        _tenantChanges ??= ChangeToken.OnChange(tenants.GetChangeToken, () => _ = Task.Run(RefreshAfterTenantChangeAsync));
    }

    private async Task RefreshAfterTenantChangeAsync()
    {
        try
        {
            await RefreshAsync();
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            // The database may be briefly unavailable: the scheduled check tries again.
            logger.LogWarning(exception, "Reloading the signing keys after a tenant change failed.");
        }
    }

    /// <summary>Re-reads the rows, rotates if the schedule says so, and swaps the key set if it changed.</summary>
    public async Task RefreshAsync(CancellationToken cancellationToken = default)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            var rows = await ReadAsync(cancellationToken);
            if (IsRotationDue(rows, time.GetUtcNow()) && await RotateCoreAsync(force: false, cancellationToken) is not null)
            {
                rows = await ReadAsync(cancellationToken);
            }

            await ApplyAsync(rows, cancellationToken);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>The next key becomes current at once; the current one becomes previous (still published); a new next key is created. Returns the new current key.</summary>
    public async Task<ProtocolKey> RotateAsync(CancellationToken cancellationToken = default)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            var current = await RotateCoreAsync(force: true, cancellationToken);
            await ApplyAsync(await ReadAsync(cancellationToken), cancellationToken);
            return current!;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>
    /// Revokes a previous key (Auth0 allows revoking only a key that no longer signs): it leaves the JWKS and tokens it
    /// signed stop verifying, on every node within a second (the tenant version). Returns null for an
    /// unknown kid; throws <see cref="InvalidOperationException"/> for the current or next key.
    /// </summary>
    public async Task<ProtocolKey?> RevokeAsync(string kid, CancellationToken cancellationToken = default)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            return await RevokeCoreAsync(kid, cancellationToken);
        }
        finally
        {
            _gate.Release();
        }
    }

    private async Task<ProtocolKey?> RevokeCoreAsync(string kid, CancellationToken cancellationToken)
    {
        await using (var scope = scopes.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<LatchkeyDbContext>();
            var key = await db.Set<ProtocolKey>().SingleOrDefaultAsync(k => k.Id == kid && k.Use == ProtocolKeyUse.Signing, cancellationToken);
            if (key is null)
            {
                return null;
            }

            if (key.RetiredAt is null && key.RevokedAt is null)
            {
                throw new InvalidOperationException("Only a previously used signing key can be revoked: rotate first.");
            }

            await scope.ServiceProvider.GetRequiredService<TenantWriter>().WriteAsync(
                _ =>
                {
                    key.RevokedAt ??= time.GetUtcNow();
                    return Task.CompletedTask;
                },
                cancellationToken);
            logger.LogWarning("Signing key {KeyId} revoked.", kid);
            await ApplyAsync(await ReadAsync(cancellationToken), cancellationToken);
            return key;
        }
    }

    /// <summary>Every signing key with its state now (for <c>GET /api/v2/keys/signing</c>), newest first.</summary>
    public async Task<IReadOnlyList<(ProtocolKey Key, SigningKeyState State)>> ListSigningKeysAsync(CancellationToken cancellationToken = default)
    {
        var rows = await ReadAsync(cancellationToken);
        var now = time.GetUtcNow();
        var retention = Retention(await tenants.GetAsync(cancellationToken));
        return [.. rows.Where(k => k.Use == ProtocolKeyUse.Signing).OrderByDescending(k => k.Generation).Select(k => (k, StateOf(k, now, retention)))];
    }

    /// <summary>How long a retired key stays published: the longest lifetime of anything it could have signed, plus a margin.</summary>
    internal static TimeSpan Retention(TenantSnapshot tenant)
    {
        var longest = tenant.Apis.Values.Select(a => TimeSpan.FromSeconds(a.TokenLifetime))
            .Concat(tenant.Applications.Values.Select(a => TimeSpan.FromSeconds(Math.Max(a.RefreshToken.TokenLifetime, a.RefreshToken.IdleTokenLifetime))))
            .Append(LongestIdTokenLifetime)
            .Max();
        return longest + RetentionMargin;
    }

    internal static SigningKeyState StateOf(ProtocolKey key, DateTimeOffset now, TimeSpan retention) => key switch
    {
        { RevokedAt: not null } => SigningKeyState.Revoked,
        { ActivatedAt: null } => SigningKeyState.Next,
        { RetiredAt: null } => SigningKeyState.Current,
        { RetiredAt: { } retired } when retired + retention > now => SigningKeyState.Previous,
        _ => SigningKeyState.Expired,
    };

    private static bool IsCurrent(ProtocolKey key) => key.ActivatedAt is not null && key.RetiredAt is null && key.RevokedAt is null;

    private bool IsRotationDue(IReadOnlyList<ProtocolKey> rows, DateTimeOffset now)
    {
        var signing = rows.Where(k => k.Use == ProtocolKeyUse.Signing && k.RevokedAt is null).ToList();
        var current = signing.Where(IsCurrent).MaxBy(k => k.ActivatedAt);
        var next = signing.Where(k => k.ActivatedAt is null).MinBy(k => k.Generation);
        return current is not null && next is not null
            && current.ActivatedAt + _settings.RotationInterval <= now
            && next.CreatedAt + _settings.PublishBeforeUse <= now;
    }

    /// <summary>One tenant write: re-checks under the lock (another node may have just rotated), then next → current → previous and a new next.</summary>
    private async Task<ProtocolKey?> RotateCoreAsync(bool force, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<LatchkeyDbContext>();
        ProtocolKey? next = null;
        await scope.ServiceProvider.GetRequiredService<TenantWriter>().WriteAsync(
            async ct =>
            {
                if (db.Database.IsNpgsql())
                {
                    await db.Database.ExecuteSqlAsync($"SELECT pg_advisory_xact_lock({RotationLockKey})", ct);
                }

                var now = time.GetUtcNow();
                var rows = await db.Set<ProtocolKey>().Where(k => k.Use == ProtocolKeyUse.Signing).ToListAsync(ct);
                if (!force && !IsRotationDue(rows, now))
                {
                    return;
                }

                var generation = rows.Select(k => k.Generation).DefaultIfEmpty(0).Max();
                var live = rows.Where(k => k.RevokedAt is null).ToList();
                foreach (var current in live.Where(IsCurrent))
                {
                    current.RetiredAt = now;
                }

                next = live.Where(k => k.ActivatedAt is null).MinBy(k => k.Generation) ?? Add(db, CreateSigningKey(++generation, now));
                next.ActivatedAt = now;
                Add(db, CreateSigningKey(++generation, now));
            },
            cancellationToken);
        if (next is not null)
        {
            logger.LogInformation("Signing key rotated ({Reason}): {KeyId} now signs.", force ? "requested" : "schedule", next.Id);
        }

        return next;
    }

    private async Task<List<ProtocolKey>> ReadAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<LatchkeyDbContext>().Set<ProtocolKey>().AsNoTracking().ToListAsync(cancellationToken);
    }

    private async Task ApplyAsync(IReadOnlyList<ProtocolKey> rows, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var retention = Retention(await tenants.GetAsync(cancellationToken));
        var published = rows.Where(k => k.Use == ProtocolKeyUse.Signing)
            .Select(k => (Key: k, State: StateOf(k, now, retention)))
            .Where(k => k.State is SigningKeyState.Current or SigningKeyState.Next or SigningKeyState.Previous)
            .OrderBy(k => k.State switch { SigningKeyState.Current => 0, SigningKeyState.Next => 1, _ => 2 })
            .ThenByDescending(k => k.Key.Generation)
            .Select(k => k.Key)
            .ToList();
        // The AES key first: OpenIddict encrypts with the first credential and decrypts with any of them.
        var encryption = rows.Where(k => k.Use is ProtocolKeyUse.SymmetricEncryption or ProtocolKeyUse.Encryption)
            .OrderByDescending(k => k.Use == ProtocolKeyUse.SymmetricEncryption)
            .ThenByDescending(k => k.Generation)
            .ToList();
        var fingerprint = string.Join(",", published.Select(k => k.Id)) + ";" + string.Join(",", encryption.Select(k => k.Id));
        if (fingerprint == _current.Fingerprint)
        {
            return;
        }

        _current = new ProtocolKeySet(
            [.. published.Select(k => new SigningCredentials(Open(k), SecurityAlgorithms.RsaSha256))],
            [.. encryption.Select(k => new EncryptingCredentials(
                Open(k), k.Use == ProtocolKeyUse.SymmetricEncryption ? SecurityAlgorithms.Aes256KW : SecurityAlgorithms.RsaOAEP, SecurityAlgorithms.Aes256CbcHmacSha512))],
            fingerprint);
        logger.LogInformation("Signing keys published: {Keys}.", string.Join(", ", published.Select(k => k.Id)));

        // OpenIddict's options monitor rebuilds its options (and so its credentials) when this token fires.
        var previous = Interlocked.Exchange(ref _changed, new CancellationTokenSource());
        await previous.CancelAsync();
        previous.Dispose();
    }

    private static ProtocolKey Add(LatchkeyDbContext db, ProtocolKey key)
    {
        db.Add(key);
        return key;
    }

    private SecurityKey Open(ProtocolKey key) => _opened.GetOrAdd(key.Id, _ => key.Use switch
    {
        ProtocolKeyUse.Signing => new X509SecurityKey(OpenCertificate(key)),
        ProtocolKeyUse.SymmetricEncryption => new SymmetricSecurityKey(_protector.Unprotect(Convert.FromBase64String(key.ProtectedPrivateKey))) { KeyId = key.Id },
        _ => new RsaSecurityKey(OpenRsa(key)) { KeyId = key.Id },
    });

    private ProtocolKey CreateSigningKey(int generation, DateTimeOffset now, DateTimeOffset? activatedAt = null)
    {
        using var rsa = RSA.Create(KeySize);
        var request = new CertificateRequest("CN=Latchkey token signing", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, critical: true));

        // A minute of back-dating tolerates clock skew between nodes.
        var notBefore = now.AddMinutes(-1);
        var notAfter = now + CertificateLifetime;
        using var certificate = request.CreateSelfSigned(notBefore, notAfter);
        return new ProtocolKey
        {
            Id = certificate.Thumbprint,
            Use = ProtocolKeyUse.Signing,
            Generation = generation,
            ActivatedAt = activatedAt,
            Certificate = Convert.ToBase64String(certificate.RawData),
            ProtectedPrivateKey = Convert.ToBase64String(_protector.Protect(rsa.ExportPkcs8PrivateKey())),
            CreatedAt = now,
            NotBefore = notBefore,
            NotAfter = notAfter,
        };
    }

    private ProtocolKey CreateSymmetricEncryptionKey(DateTimeOffset now) => new()
    {
        Id = "enc-aes-" + Base64UrlEncoder.Encode(RandomNumberGenerator.GetBytes(12)),
        Use = ProtocolKeyUse.SymmetricEncryption,
        Generation = 1,
        ProtectedPrivateKey = Convert.ToBase64String(_protector.Protect(RandomNumberGenerator.GetBytes(SymmetricKeyBytes))),
        CreatedAt = now,
        NotBefore = now,
        NotAfter = now.AddYears(100),
    };

    private RSA OpenRsa(ProtocolKey key)
    {
        var rsa = RSA.Create();
        rsa.ImportPkcs8PrivateKey(_protector.Unprotect(Convert.FromBase64String(key.ProtectedPrivateKey)), out _);
        return rsa;
    }

    private X509Certificate2 OpenCertificate(ProtocolKey key)
    {
        using var publicOnly = X509CertificateLoader.LoadCertificate(Convert.FromBase64String(key.Certificate!));
        using var rsa = OpenRsa(key);
        return publicOnly.CopyWithPrivateKey(rsa);
    }

    public void Dispose()
    {
        _tenantChanges?.Dispose();
        _changed.Dispose();
        _gate.Dispose();
    }
}
