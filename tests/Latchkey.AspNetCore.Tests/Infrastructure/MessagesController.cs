using Latchkey.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;

namespace Latchkey.AspNetCore.Tests.Infrastructure;

/// <summary>A controller protected by the attributes, as an MVC API would use them.</summary>
[ApiController]
[Route("controller")]
public sealed class MessagesController : ControllerBase
{
    [HttpGet("scoped")]
    [RequireScope("read:messages")]
    public IActionResult Scoped() => Ok(new { message = "controller scoped" });

    [HttpGet("permission")]
    [RequirePermission("write:messages")]
    public IActionResult Permission() => Ok(new { message = "controller permission" });
}
