using System.Text.Json.Nodes;
using Latchkey.Server.Users;
using Latchkey.Server.Users.Import;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace Latchkey.Server.Tests.Users;

/// <summary>
/// Auth0's <c>custom_password_hash</c> algorithms against vectors made by other implementations: the argon2 reference
/// implementation's README, RFC 6070 (PBKDF2-SHA1), OpenBSD's bcrypt tests, and Python's hashlib/hmac for the rest.
/// </summary>
public sealed class CustomPasswordHashTests
{
    [Theory]
    [InlineData("argon2", """{ "algorithm": "argon2", "hash": { "value": "$argon2i$v=19$m=65536,t=2,p=4$c29tZXNhbHQ$RdescudvJCsgt3ub+b+dWRWJTmaaJObG" } }""", "password")]
    [InlineData("pbkdf2-sha1 (RFC 6070)", """{ "algorithm": "pbkdf2", "hash": { "value": "$pbkdf2-sha1$i=4096,l=20$c2FsdA$SwB5AbdlSJq+rUnZJvch0GWkKcE" } }""", "password")]
    [InlineData("pbkdf2-sha512", """{ "algorithm": "pbkdf2", "hash": { "value": "$pbkdf2-sha512$i=1000,l=64$TmFDbC1zYWx0$GV1wzpLCG9hcDMi0/Ua2xx+b6ZOez94QwI1EaxUgH35jvqugtWfkesHC90onSH4VbmHPaXqgcOONRF3tonTK/Q" } }""", "correct horse")]
    [InlineData("bcrypt (OpenBSD)", """{ "algorithm": "bcrypt", "hash": { "value": "$2a$05$CCCCCCCCCCCCCCCCCCCCC.E5YPO9kmyuRGyh0XouQYb4YMJKvyOeW" } }""", "U*U")]
    [InlineData("md5", """{ "algorithm": "md5", "hash": { "value": "5f4dcc3b5aa765d61d8327deb882cf99", "encoding": "hex" } }""", "password")]
    [InlineData("sha1", """{ "algorithm": "sha1", "hash": { "value": "5baa61e4c9b93f3f0682250b6cf8331b7ee68fd8" } }""", "password")]
    [InlineData("sha256 with a base64 salt prefix", """{ "algorithm": "sha256", "hash": { "value": "gd5UyemXBkwk8yjb2Hpgce2K+yJoa7HUK61GZEUWQSQ=", "encoding": "base64" }, "salt": { "value": "a1b2c3", "encoding": "hex", "position": "prefix" } }""", "password")]
    [InlineData("sha512 with a utf8 salt suffix", """{ "algorithm": "sha512", "hash": { "value": "7542291488234e03d5c2cc832aaf77449b65fd92d6021ded11bdfaa51b565f47acf7dd28a6138ad7d6ed4a2ed57ffc4719db0423cc43a9311f7c08ef2ee95e54", "encoding": "hex" }, "salt": { "value": "pepper", "position": "suffix" } }""", "password")]
    [InlineData("hmac-sha256", """{ "algorithm": "hmac", "hash": { "value": "4d42fb9ffc8d7d0a245429438b4bc73db1007a167026a0a0c6a74fa58e8e86ca", "encoding": "hex", "digest": "sha256", "key": { "value": "key", "encoding": "utf8" } } }""", "password")]
    public void CustomPasswordHash_KnownVector_VerifiesOnlyTheRightPassword(string name, string json, string password)
    {
        var hash = CustomPasswordHash.Parse(JsonNode.Parse(json)!.AsObject(), out var problem);

        Assert.True(hash is not null, $"{name}: {problem}");
        var stored = CustomPasswordHash.FromStored(hash.ToStored());
        Assert.True(stored.Verify(password), name);
        Assert.False(stored.Verify(password + "x"), name);

        var hasher = new ImportedPasswordHasher(new PasswordHasher<User>(Options.Create(new PasswordHasherOptions())));
        var user = new User { UserId = "auth0|x", Email = "x@example.com", NormalizedEmail = "X@EXAMPLE.COM" };
        Assert.Equal(PasswordVerificationResult.SuccessRehashNeeded, hasher.VerifyHashedPassword(user, hash.ToStored(), password));
        Assert.Equal(PasswordVerificationResult.Failed, hasher.VerifyHashedPassword(user, hash.ToStored(), "wrong"));
    }

    [Theory]
    [InlineData("""{ "algorithm": "scrypt", "hash": { "value": "00" } }""", "custom_password_hash.algorithm")]
    [InlineData("""{ "algorithm": "sha256" }""", "custom_password_hash.hash.value")]
    [InlineData("""{ "algorithm": "sha256", "hash": { "value": "not hex" } }""", "custom_password_hash")]
    [InlineData("""{ "algorithm": "argon2", "hash": { "value": "$argon2id$v=19$m=99999999,t=2,p=4$c29tZXNhbHQ$RdescudvJCsgt3ub" } }""", "custom_password_hash")]
    [InlineData("""{ "algorithm": "pbkdf2", "hash": { "value": "$pbkdf2-md4$i=1,l=4$c2FsdA$AAAAAA" } }""", "custom_password_hash")]
    [InlineData("""{ "algorithm": "bcrypt", "hash": { "value": "$1$md5crypt" } }""", "custom_password_hash")]
    [InlineData("""{ "algorithm": "sha1", "hash": { "value": "00" }, "salt": { "value": "s", "position": "middle" } }""", "custom_password_hash")]
    public void CustomPasswordHash_Unusable_IsRefusedAtImportWithItsPath(string json, string path)
    {
        var hash = CustomPasswordHash.Parse(JsonNode.Parse(json)!.AsObject(), out var problem);

        Assert.Null(hash);
        Assert.Equal(path, problem.Path);
        Assert.False(string.IsNullOrEmpty(problem.Message));
    }

    [Fact]
    public void ImportedPasswordHasher_LatchkeyHash_IsVerifiedByIdentityAsBefore()
    {
        var inner = new PasswordHasher<User>(Options.Create(new PasswordHasherOptions { IterationCount = 1000 }));
        var hasher = new ImportedPasswordHasher(inner);
        var user = new User { UserId = "latchkey|x", Email = "x@example.com", NormalizedEmail = "X@EXAMPLE.COM" };

        var hash = hasher.HashPassword(user, "pw-123456");

        Assert.Equal(PasswordVerificationResult.Success, hasher.VerifyHashedPassword(user, hash, "pw-123456"));
        Assert.Equal(PasswordVerificationResult.Failed, hasher.VerifyHashedPassword(user, hash, "pw-1234567"));
    }
}
