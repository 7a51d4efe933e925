using Latchkey.Server.Users;

namespace Latchkey.Server.Tests.Users;

public sealed class UserProfileTests
{
    [Theory]
    [InlineData(null, null, null)]
    [InlineData("", "", "")]
    [InlineData(" ", "\t", " ")]
    public void Of_NameNicknamePictureNotSet_AppliesAuth0Defaults(string? name, string? nickname, string? picture)
    {
        var user = User.Create("Ada.Lovelace@example.com", DateTimeOffset.UnixEpoch);
        user.Name = name;
        user.Nickname = nickname;
        user.Picture = picture;

        var profile = UserProfile.Of(user);

        Assert.Equal("Ada.Lovelace@example.com", profile.Name);
        Assert.Equal("Ada.Lovelace", profile.Nickname);
        Assert.Null(profile.Picture);
    }

    [Fact]
    public void Timestamp_AnyOffset_IsUtcIso8601WithMilliseconds()
    {
        var at = new DateTimeOffset(2024, 5, 1, 14, 0, 0, 7, TimeSpan.FromHours(2));

        Assert.Equal("2024-05-01T12:00:00.007Z", UserProfile.Timestamp(at));
    }

    [Fact]
    public void Create_NewUser_HasProviderIdNormalizedEmailAndLocalPartNickname()
    {
        var user = User.Create("Ada@Example.com", DateTimeOffset.UnixEpoch);

        Assert.StartsWith("latchkey|", user.UserId, StringComparison.Ordinal);
        Assert.Equal(EmailAddress.Normalize("ada@example.COM"), user.NormalizedEmail);
        Assert.Equal("Ada", user.Nickname);
        Assert.Equal(DateTimeOffset.UnixEpoch, user.CreatedAt);
    }
}
