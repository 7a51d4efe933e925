using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Latchkey.Server.Hosting;
using Latchkey.Server.Persistence;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;

namespace Latchkey.Server.Protocol.Keys;

/// <summary>
/// Loads the signing and encryption keys from the database, creating them on first start.
/// <list type="bullet">
/// <item>Signing keys are RSA-2048 wrapped in self-signed certificates valid for <see cref="KeyOptions.SigningKeyLifetime"/>.
/// OpenIddict signs with the currently valid certificate that has the latest <c>NotAfter</c>, a deterministic choice
/// (raw RSA keys all compare equal in its sort, docs/reference/openiddict.md §8), and its <c>kid</c> is the certificate thumbprint, stable
/// across restarts and nodes.</item>
/// <item>When the newest signing key has less than <see cref="KeyOptions.RotateBefore"/> left, start-up adds its successor. Older
/// keys stay registered (and in the JWKS) until <see cref="KeyOptions.RetainAfterExpiry"/> past their expiry, longer than any
/// token they signed can live.</item>
/// <item>One RSA encryption key protects authorization codes and refresh tokens (OpenIddict requires one even though
/// access tokens are not encrypted); it never rotates, so outstanding refresh tokens survive restarts.</item>
/// </list>
/// </summary>
internal sealed class ProtocolKeyRing(
    IServiceScopeFactory scopes,
    IDataProtectionProvider dataProtection,
    IOptions<LatchkeyOptions> options,
    TimeProvider time,
    ILogger<ProtocolKeyRing> logger)
{
    private const int KeySize = 2048;
    private readonly KeyOptions _settings = options.Value.Keys;
    private readonly IDataProtector _protector = dataProtection.CreateProtector("Latchkey.Protocol.Keys.v1");

    public IReadOnlyList<SigningCredentials> SigningCredentials { get; private set; } = [];

    public IReadOnlyList<EncryptingCredentials> EncryptingCredentials { get; private set; } = [];

    /// <summary>Loads (and if needed creates) the keys. Synchronous because OpenIddict reads them while configuring its options.</summary>
    public void Load()
    {
        using var scope = scopes.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<LatchkeyDbContext>();
        var now = time.GetUtcNow();

        var keys = db.Set<ProtocolKey>().AsNoTracking().ToList();
        var newestSigning = keys.Where(k => k.Use == ProtocolKeyUse.Signing).MaxBy(k => k.Generation);
        if (newestSigning is null || newestSigning.NotAfter - now < _settings.RotateBefore)
        {
            TryAdd(db, CreateSigningKey((newestSigning?.Generation ?? 0) + 1, now));
        }

        if (!keys.Any(k => k.Use == ProtocolKeyUse.Encryption))
        {
            TryAdd(db, CreateEncryptionKey(now));
        }

        keys = db.Set<ProtocolKey>().AsNoTracking().ToList();
        SigningCredentials = keys
            .Where(k => k.Use == ProtocolKeyUse.Signing && k.NotAfter + _settings.RetainAfterExpiry > now)
            .OrderByDescending(k => k.Generation)
            .Select(k => new SigningCredentials(new X509SecurityKey(OpenCertificate(k)), SecurityAlgorithms.RsaSha256))
            .ToList();
        EncryptingCredentials = keys
            .Where(k => k.Use == ProtocolKeyUse.Encryption)
            .OrderByDescending(k => k.Generation)
            .Select(k => new EncryptingCredentials(new RsaSecurityKey(OpenRsa(k)) { KeyId = k.Id }, SecurityAlgorithms.RsaOAEP, SecurityAlgorithms.Aes256CbcHmacSha512))
            .ToList();
    }

    private void TryAdd(LatchkeyDbContext db, ProtocolKey key)
    {
        db.Add(key);
        try
        {
            db.SaveChanges();
            logger.LogInformation("Created {Use} key {KeyId} (generation {Generation}).", key.Use, key.Id, key.Generation);
        }
        catch (DbUpdateException)
        {
            // Another node created this generation first; use theirs.
            db.ChangeTracker.Clear();
        }
    }

    private ProtocolKey CreateSigningKey(int generation, DateTimeOffset now)
    {
        using var rsa = RSA.Create(KeySize);
        var request = new CertificateRequest("CN=Latchkey token signing", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, critical: true));

        // A minute of back-dating tolerates clock skew between nodes that load the key at the same moment.
        var notBefore = now.AddMinutes(-1);
        var notAfter = now + _settings.SigningKeyLifetime;
        using var certificate = request.CreateSelfSigned(notBefore, notAfter);
        return new ProtocolKey
        {
            Id = certificate.Thumbprint,
            Use = ProtocolKeyUse.Signing,
            Generation = generation,
            Certificate = Convert.ToBase64String(certificate.RawData),
            ProtectedPrivateKey = Convert.ToBase64String(_protector.Protect(rsa.ExportPkcs8PrivateKey())),
            CreatedAt = now,
            NotBefore = notBefore,
            NotAfter = notAfter,
        };
    }

    private ProtocolKey CreateEncryptionKey(DateTimeOffset now)
    {
        using var rsa = RSA.Create(KeySize);
        return new ProtocolKey
        {
            Id = "enc-" + Base64UrlEncoder.Encode(RandomNumberGenerator.GetBytes(12)),
            Use = ProtocolKeyUse.Encryption,
            Generation = 1,
            ProtectedPrivateKey = Convert.ToBase64String(_protector.Protect(rsa.ExportPkcs8PrivateKey())),
            CreatedAt = now,
            NotBefore = now,
            NotAfter = now.AddYears(100),
        };
    }

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
}
