using System.Collections.Frozen;
using Microsoft.Extensions.Logging;
using Microsoft.IdentityModel.Protocols;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;
using Microsoft.IdentityModel.Tokens;

namespace Latchkey.AspNetCore.Metadata;

/// <summary>
/// Discovery document and JWKS of one authority, fetched with Microsoft.IdentityModel's
/// <see cref="OpenIdConnectConfigurationRetriever"/> and cached.
/// Why not <c>ConfigurationManager&lt;T&gt;</c>: its <c>RequestRefresh</c> only schedules a fetch (in the background
/// in 8.x), so the first request carrying a rotated key's <c>kid</c> fails; here that request awaits one single-flight
/// fetch, the fetch rate is bounded, and time comes from <see cref="TimeProvider"/> so tests need no sleeps.
/// Keys come only from the configured authority, never from a token's <c>jku</c>/<c>x5u</c>/<c>jwk</c> header.
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1001", Justification = "A SemaphoreSlim whose wait handle is never read holds no unmanaged resource; the metadata lives as long as the app.")]
internal sealed class AuthorityMetadata
{
    // After a failed fetch with nothing cached, requests fail fast instead of each one calling the authority.
    private static readonly TimeSpan FailureBackoff = TimeSpan.FromSeconds(5);

    private readonly string _metadataAddress;
    private readonly string _expectedIssuer;
    private readonly IDocumentRetriever _retriever;
    private readonly TimeProvider _time;
    private readonly TimeSpan _refreshInterval;
    private readonly TimeSpan _unknownKeyInterval;
    private readonly ILogger _logger;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly Action<AuthoritySnapshot>? _changed;

    private volatile AuthoritySnapshot? _current;
    private long _refreshDueTicks;
    private long _lastUnknownKeyFetchTicks = long.MinValue / 2;
    private long _failedUntilTicks;
    private int _version;
    private int _backgroundRunning;

    public AuthorityMetadata(
        Uri issuer,
        IDocumentRetriever retriever,
        TimeProvider time,
        TimeSpan refreshInterval,
        TimeSpan unknownKeyInterval,
        ILogger logger,
        Action<AuthoritySnapshot>? changed = null)
    {
        _expectedIssuer = issuer.AbsoluteUri;
        _metadataAddress = _expectedIssuer + ".well-known/openid-configuration";
        _retriever = retriever;
        _time = time;
        _refreshInterval = refreshInterval;
        _unknownKeyInterval = unknownKeyInterval;
        _logger = logger;
        _changed = changed;
    }

    /// <summary>The last good snapshot, or null before the first successful fetch.</summary>
    public AuthoritySnapshot? Current => _current;

    /// <summary>Returns the cached snapshot (starting a background refresh when one is due) or fetches the first one.</summary>
    public ValueTask<AuthoritySnapshot> GetAsync()
    {
        var current = _current;
        if (current is null)
        {
            return new ValueTask<AuthoritySnapshot>(FetchAsync(Volatile.Read(ref _version)));
        }

        RefreshInBackgroundIfDue();
        return new ValueTask<AuthoritySnapshot>(current);
    }

    /// <summary>Called on the hot path: a cheap clock comparison, and at most one background fetch at a time.</summary>
    public void RefreshInBackgroundIfDue()
    {
        if (_time.GetUtcNow().UtcTicks < Volatile.Read(ref _refreshDueTicks) || _current is null)
        {
            return;
        }

        if (Interlocked.CompareExchange(ref _backgroundRunning, 1, 0) != 0)
        {
            return;
        }

        var version = Volatile.Read(ref _version);
        _ = Task.Run(async () =>
        {
            try
            {
                await FetchAsync(version);
            }
            catch (Exception ex) when (IsFetchFailure(ex))
            {
                // Keep the last good keys; try again after the backoff rather than on every request.
                Volatile.Write(ref _refreshDueTicks, _time.GetUtcNow().Add(FailureBackoff).UtcTicks);
                _logger.LogWarning(ex, "Refreshing the metadata of {Authority} failed; keeping the previous keys.", _expectedIssuer);
            }
            finally
            {
                Volatile.Write(ref _backgroundRunning, 0);
            }
        });
    }

    /// <summary>
    /// A token names a key the cached JWKS lacks: fetch again, unless a fetch for that reason happened within
    /// the configured interval (then the current snapshot is returned unchanged).
    /// </summary>
    public async ValueTask<AuthoritySnapshot> RefreshForUnknownKeyAsync(AuthoritySnapshot seen)
    {
        var now = _time.GetUtcNow().UtcTicks;
        var last = Volatile.Read(ref _lastUnknownKeyFetchTicks);
        if (now - last < _unknownKeyInterval.Ticks
            || Interlocked.CompareExchange(ref _lastUnknownKeyFetchTicks, now, last) != last)
        {
            return _current ?? seen;
        }

        try
        {
            return await FetchAsync(seen.Version);
        }
        catch (Exception ex) when (IsFetchFailure(ex))
        {
            _logger.LogWarning(ex, "Fetching the keys of {Authority} for an unknown key id failed.", _expectedIssuer);
            return _current ?? seen;
        }
    }

    internal static bool IsFetchFailure(Exception ex) =>
        ex is IOException or HttpRequestException or InvalidOperationException or ArgumentException
            or OperationCanceledException or System.Text.Json.JsonException or SecurityTokenException;

    /// <summary>Single-flight: a caller that waited while another fetched gets that result instead of fetching again.</summary>
    private async Task<AuthoritySnapshot> FetchAsync(int seenVersion)
    {
        if (_current is null && _time.GetUtcNow().UtcTicks < Volatile.Read(ref _failedUntilTicks))
        {
            throw new InvalidOperationException($"The metadata of {_expectedIssuer} could not be fetched recently; retrying shortly.");
        }

        await _gate.WaitAsync();
        try
        {
            var current = _current;
            if (current is not null && Volatile.Read(ref _version) != seenVersion)
            {
                return current;
            }

            OpenIdConnectConfiguration configuration;
            try
            {
                configuration = await OpenIdConnectConfigurationRetriever.GetAsync(_metadataAddress, _retriever, CancellationToken.None);
            }
            catch (Exception ex) when (IsFetchFailure(ex) && current is null)
            {
                Volatile.Write(ref _failedUntilTicks, _time.GetUtcNow().Add(FailureBackoff).UtcTicks);
                _logger.LogError(ex, "Fetching {MetadataAddress} failed.", _metadataAddress);
                throw;
            }

            // Mix-up defence (RFC 8414 §3.3): the document must name the issuer we were configured with.
            if (!string.Equals(configuration.Issuer, _expectedIssuer, StringComparison.Ordinal))
            {
                throw new InvalidOperationException(
                    $"The discovery document at {_metadataAddress} names issuer '{configuration.Issuer}', expected '{_expectedIssuer}'.");
            }

            var keyIds = configuration.SigningKeys
                .Where(k => !string.IsNullOrEmpty(k.KeyId))
                .Select(k => k.KeyId)
                .ToFrozenSet(StringComparer.Ordinal);
            var snapshot = new AuthoritySnapshot(configuration, keyIds, Interlocked.Increment(ref _version));
            _current = snapshot;
            Volatile.Write(ref _refreshDueTicks, _time.GetUtcNow().Add(_refreshInterval).UtcTicks);
            _changed?.Invoke(snapshot);
            return snapshot;
        }
        finally
        {
            _gate.Release();
        }
    }
}
