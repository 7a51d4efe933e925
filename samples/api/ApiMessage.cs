namespace Latchkey.Samples.Api;

/// <summary>Every endpoint answers <c>{ "message": "…" }</c> (web JSON defaults camel-case the name), as the quickstarts' APIs do.</summary>
public sealed record ApiMessage(string Message);
