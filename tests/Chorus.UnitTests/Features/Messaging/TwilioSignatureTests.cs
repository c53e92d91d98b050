using Chorus.Features.Messaging.Providers;
using Microsoft.Extensions.Primitives;

namespace Chorus.UnitTests.Features.Messaging;

/// <summary>The literal vectors of DOMAIN.md §4.5 (from Twilio's own csharp, node and python tests), plus tampering.</summary>
public sealed class TwilioSignatureTests
{
    private const string Token = "12345";
    private const string Url = "https://mycompany.com/myapp.php?foo=1&bar=2";
    private const string DefaultSignature = "RSOYDt4T1cUTdK1PDd93/VVr8B8=";
    private const string JsonBody = """{"property": "value", "boolean": true}""";
    private const string JsonBodyHash = "0a1ff7634d9ab3b95db5c9a2dfe9416e41502b283a80c7cf19632632f96e6620";
    private const string EmptyJsonHash = "44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a";

    private static Dictionary<string, StringValues> DefaultParams() => new()
    {
        ["To"] = "+18005551212",
        ["Digits"] = "1234",
        ["CallSid"] = "CA1234567890ABCDE",
        ["From"] = "+14158675309",
        ["Caller"] = "+14158675309",
    };

    [Fact]
    public void Computes_twilios_signature_for_a_form_post()
    {
        var signature = TwilioSignature.Compute(Url, DefaultParams(), Token);

        Assert.Equal(DefaultSignature, signature);
    }

    [Theory]
    [InlineData("https://mycompany.com/myapp.php?foo=1&bar=2", "RSOYDt4T1cUTdK1PDd93/VVr8B8=")]
    [InlineData("https://mycompany.com/myapp.php?foo=1&bar=2", "kvajT1Ptam85bY51eRf/AJRuM3w=")]
    [InlineData("http://mycompany.com/myapp.php?foo=1&bar=2", "0ZXoZLH/DfblKGATFgpif+LLRf4=")]
    [InlineData("http://mycompany.com:1234/myapp.php?foo=1&bar=2", "Zmvh+3yNM1Phv2jhDCwEM3q5ebU=")]
    [InlineData("https://mycompany.com:1234/myapp.php?foo=1&bar=2", "CYn1h0gLBdNxDGkKJg6hYohgeD8=")]
    [InlineData("https://mycompany.com:1234/myapp.php?foo=1&bar=2", "RSOYDt4T1cUTdK1PDd93/VVr8B8=")]
    [InlineData("https://MyCompany.com/myapp.php?foo=1&bar=2", "g9IN/x4Cft2g517EjYvEvM/W7LU=")]
    [InlineData("https://MyCompany.com:1234/myapp.php?foo=1&bar=2", "PCqOZm8cnu/L6+u5i5fuEd+Iac4=")]
    [InlineData("http://MyCompany.com/myapp.php?foo=1&bar=2", "XY7AlKOKL6im4yWyX84gldUrtis=")]
    [InlineData("http://username:password@MyCompany.com/myapp.php?foo=1&bar=2", "PJ08CxXr7KLPjEQCTc8LkUSMwSM=")]
    [InlineData("HTTP://username:password@MyCompany.com/myapp.php?foo=1&bar=2", "hy/l8pca+LFms4cvRdv8uiP6NGc=")]
    [InlineData("http://Username:Password@MyCompany.com/myapp.php?foo=1&bar=2", "SkTSKyDJH9kUlhItI0slbgZ1UsI=")]
    [InlineData("https://user:pass@mycompany.com/myapp.php?foo=1&bar=2", "CukzLTc1tT5dXEDIHm/tKBanW10=")]
    [InlineData("https://user:pass@mycompany.com/myapp.php?foo=1&bar=2", "ZQFR1PTIZXF2MXB8ZnKCvnnA+rI=")]
    [InlineData("https://user@mycompany.com/myapp.php?foo=1&bar=2", "2YRLlVAflCqxaNicjMpJcSTgzSs=")]
    [InlineData("https://mycompany.com/myapp.php?foo=1&bar=2&Body=It's+amazing", "TfZzewPq8wqrGlMfyAud8+/IvJ0=")]
    public void Accepts_twilios_vector_with_the_default_parameters(string url, string signature)
    {
        var valid = TwilioSignature.IsValid(url, DefaultParams(), Token, signature);

        Assert.True(valid);
    }

    [Fact]
    public void Keeps_the_hosts_case_as_signed()
    {
        var valid = TwilioSignature.IsValid("https://MyCompany.com/myapp.php?foo=1&bar=2", DefaultParams(), Token, DefaultSignature);

        Assert.False(valid);
    }

    [Fact]
    public void Rejects_a_wrong_signature()
    {
        var valid = TwilioSignature.IsValid(Url, DefaultParams(), Token, "NOTRSOYDt4T1cUTdK1PDd93/VVr8B8=");

        Assert.False(valid);
    }

    [Theory]
    [InlineData("+1325xxxxxxx", "+1415xxxxxxx")]
    [InlineData("+1415xxxxxxx", "+1325xxxxxxx")]
    public void Accepts_a_multi_valued_parameter_in_either_order(string first, string second)
    {
        var parameters = new Dictionary<string, StringValues> { ["MessagingBinding.Address"] = new([first, second]) };

        var valid = TwilioSignature.IsValid(Url, parameters, Token, "83O6e2vORAoJHUNzJjDWN1jz+BA=");

        Assert.True(valid);
    }

    [Theory]
    [InlineData("5678,1234")]
    [InlineData("1234,5678")]
    [InlineData("5678,1234,1234")]
    public void Sorts_and_deduplicates_the_values_of_a_repeated_parameter_as_node_does(string digits)
    {
        var parameters = new Dictionary<string, StringValues>
        {
            ["Sid"] = "CA123",
            ["SidAccount"] = "AC123",
            ["Digits"] = new(digits.Split(',')),
        };

        var valid = TwilioSignature.IsValid(Url, parameters, Token, "IK+Dwps556ElfBT0I3Rgjkr1wJU=");

        Assert.True(valid);
    }

    [Fact]
    public void Rejects_a_tampered_url()
    {
        var valid = TwilioSignature.IsValid(Url + "&somethingUnexpected=true", DefaultParams(), Token, DefaultSignature);

        Assert.False(valid);
    }

    [Fact]
    public void Rejects_a_tampered_parameter()
    {
        var parameters = DefaultParams();
        parameters["Digits"] = "1235";

        var valid = TwilioSignature.IsValid(Url, parameters, Token, DefaultSignature);

        Assert.False(valid);
    }

    [Fact]
    public void Rejects_an_added_parameter()
    {
        var parameters = DefaultParams();
        parameters["Body"] = "STOP";

        var valid = TwilioSignature.IsValid(Url, parameters, Token, DefaultSignature);

        Assert.False(valid);
    }

    [Fact]
    public void Rejects_a_signature_made_with_another_token()
    {
        var valid = TwilioSignature.IsValid(Url, DefaultParams(), "54321", DefaultSignature);

        Assert.False(valid);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    public void Rejects_a_missing_signature(string? signature)
    {
        var valid = TwilioSignature.IsValid(Url, DefaultParams(), Token, signature);

        Assert.False(valid);
    }

    [Theory]
    [InlineData(Url + "&bodySHA256=" + JsonBodyHash, JsonBody, "a9nBmqA0ju/hNViExpshrM61xv4=")]
    [InlineData("https://mycompany.com/myapp.php?bodySHA256=" + JsonBodyHash, JsonBody, "y77kIzt2vzLz71DgmJGsen2scGs=")]
    [InlineData(Url + "&bodySHA256=" + EmptyJsonHash, "{}", "Ldidvp12m26NI7eqEvxnEpkd9Hc=")]
    [InlineData(Url + "&bodySHA256=" + EmptyJsonHash, "{}", "rw/jVviOgicj2+kHZULvebnA4ag=")]
    public void Accepts_twilios_json_body_vector(string url, string body, string signature)
    {
        var valid = TwilioSignature.IsValidJson(url, body, Token, signature);

        Assert.True(valid);
    }

    [Fact]
    public void Rejects_a_json_body_against_a_url_without_its_hash()
    {
        var valid = TwilioSignature.IsValidJson(Url, JsonBody, Token, DefaultSignature);

        Assert.False(valid);
    }

    [Fact]
    public void Rejects_a_json_body_that_does_not_match_its_hash()
    {
        var valid = TwilioSignature.IsValidJson(Url + "&bodySHA256=" + JsonBodyHash, """{"property": "other", "boolean": true}""", Token, "a9nBmqA0ju/hNViExpshrM61xv4=");

        Assert.False(valid);
    }

    [Fact]
    public void Rejects_a_json_url_whose_hash_was_changed()
    {
        var valid = TwilioSignature.IsValidJson(Url + "&bodySHA256=" + JsonBodyHash[..^1] + "1", JsonBody, Token, "a9nBmqA0ju/hNViExpshrM61xv4=");

        Assert.False(valid);
    }

    [Fact]
    public void Rejects_a_json_body_with_a_wrong_signature()
    {
        var valid = TwilioSignature.IsValidJson(Url + "&bodySHA256=" + JsonBodyHash, JsonBody, Token, "y77kIzt2vzLz71DgmJGsen2scGs=");

        Assert.False(valid);
    }
}
