namespace Latchkey.Server.Login;

/// <summary>What one rendering of the login or sign-up page shows.</summary>
internal sealed record LoginPage(
    bool IsSignUp,
    string ReturnUrl,
    string AntiforgeryFieldName,
    string AntiforgeryToken)
{
    /// <summary>The Application's name when the login serves an <c>/authorize</c> request ("Log in to Sample SPA").</summary>
    public string? ApplicationName { get; init; }

    public string? Email { get; init; }

    public string? Error { get; init; }

    /// <summary><c>email</c> or <c>password</c> when the error is about one field; null for the form as a whole.</summary>
    public string? ErrorField { get; init; }

    /// <summary>False when the database connection has <c>disable_signup</c>: the page offers no sign-up link.</summary>
    public bool SignUpAllowed { get; init; } = true;

    /// <summary>The email of the user already signed in, if any.</summary>
    public string? SignedInAs { get; init; }
}
