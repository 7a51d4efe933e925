namespace Latchkey.AspNetCore.Authentication;

/// <summary>Why a request's bearer token was refused, carried from authentication to the challenge (RFC 6750 §3.1).</summary>
internal sealed class BearerTokenException : Exception
{
    public BearerTokenException(string error, string description, int statusCode)
        : base(description)
    {
        Error = error;
        StatusCode = statusCode;
    }

    public BearerTokenException()
        : this("invalid_token", "invalid token", 401)
    {
    }

    public BearerTokenException(string message)
        : this("invalid_token", message, 401)
    {
    }

    public BearerTokenException(string message, Exception innerException)
        : base(message, innerException)
    {
        Error = "invalid_token";
        StatusCode = 401;
    }

    /// <summary><c>invalid_token</c> or <c>invalid_request</c>.</summary>
    public string Error { get; }

    public int StatusCode { get; }
}
