"""Login with a second factor: password (django-axes locks repeated failures), then TOTP for the roles that
need it (django-otp). A user of such a role without a device enrols one on first login."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

import segno
from django import forms
from django.conf import settings
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render, resolve_url
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from childprotect.http import AuthenticatedHttpRequest
from childprotect.models.audit import AuditAction
from childprotect.services import record_audit_event, user_unit_path


class LoginView(auth_views.LoginView):
    template_name = "registration/login.html"
    redirect_authenticated_user = True

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["session_expired"] = self.request.GET.get("expired") == "1"
        return context


class OtpCodeForm(forms.Form):
    otp_token = forms.RegexField(
        label=gettext_lazy("Mã xác thực (6 chữ số)"),
        regex=r"^\s*\d{6}\s*$",
        error_messages={"invalid": gettext_lazy("Mã xác thực gồm đúng 6 chữ số.")},
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}),
    )


def _safe_next(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return target
    return resolve_url(settings.LOGIN_REDIRECT_URL)


@never_cache
@sensitive_post_parameters("otp_token")
@login_required
def otp_verify(request: HttpRequest) -> HttpResponse:
    user = request.user
    if user.is_verified():  # type: ignore[union-attr] # OTPMiddleware adds is_verified
        return redirect(_safe_next(request))
    devices = TOTPDevice.objects.devices_for_user(user, confirmed=True)
    if not devices.exists():
        return redirect(f"{_url('otp-setup')}?{urlencode({'next': _safe_next(request)})}")
    form = OtpCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        token = form.cleaned_data["otp_token"].strip()
        throttled = _is_throttled(devices)
        for device in devices:
            if device.verify_token(token):
                otp_login(request, device)
                return redirect(_safe_next(request))
        form.add_error("otp_token", _otp_error(throttled))
    return render(request, "registration/otp_verify.html", {"form": form, "next": _safe_next(request)})


@never_cache
@sensitive_post_parameters("otp_token")
@login_required
def otp_setup(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Enrol a TOTP authenticator app: show the QR code (rendered here as SVG; no external service)."""
    user = request.user
    if TOTPDevice.objects.devices_for_user(user, confirmed=True).exists():
        return redirect("otp-verify")
    device, _created = TOTPDevice.objects.get_or_create(user=user, confirmed=False, defaults={"name": "authenticator"})
    form = OtpCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        throttled = _is_throttled([device])
        if device.verify_token(form.cleaned_data["otp_token"].strip()):
            device.confirmed = True
            device.save(update_fields=["confirmed"])
            otp_login(request, device)
            record_audit_event(actor=user, action=AuditAction.OTP_ENROLLED, unit_path=user_unit_path(user))
            return redirect(_safe_next(request))
        form.add_error("otp_token", _otp_error(throttled))
    uri = device.config_url.replace("otpauth://totp/", f"otpauth://totp/{settings.OTP_TOTP_ISSUER}:", 1)
    qr_svg = segno.make(uri, error="m").svg_inline(scale=4, title=_("Mã QR để đăng ký xác thực hai lớp"))
    secret = _base32_secret(device)
    return render(
        request,
        "registration/otp_setup.html",
        {"form": form, "qr_svg": qr_svg, "secret": secret, "next": _safe_next(request)},
    )


def _is_throttled(devices: Any) -> bool:
    return any(not device.verify_is_allowed()[0] for device in devices)


def _otp_error(throttled: bool) -> str:
    # After a wrong code django-otp refuses every code for a growing delay (1 s, 2 s, 4 s…): say so, or the
    # user will think a correct code is wrong.
    if throttled:
        return _("Bạn vừa nhập sai mã. Vui lòng đợi vài giây rồi nhập mã mới trên ứng dụng.")
    return _("Mã xác thực không đúng hoặc đã hết hạn. Kiểm tra giờ trên điện thoại rồi nhập mã mới.")


def _base32_secret(device: TOTPDevice) -> str:
    from base64 import b32encode

    raw = b32encode(device.bin_key).decode("ascii").rstrip("=")
    return " ".join(raw[i : i + 4] for i in range(0, len(raw), 4))


def _url(name: str) -> str:
    from django.urls import reverse

    return reverse(name)
