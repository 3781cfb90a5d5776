"""The one base for every API viewset that serves protected records (PostHog's routing habit).

`ScopedViewSetMixin` owns get_queryset/get_object: the queryset always starts from `scoped_queryset(user)`,
which each viewset implements by calling a `visible_to(user)`; object lookups go through the same queryset,
so a record outside the caller's access answers 404 exactly like a missing one. Subclasses may not override
get_queryset or get_object — the class refuses to be defined if they try.

A viewset whose list shows children names it in `audited_list`: each answered list request then leaves one
audit row (who, which filters without any search term, how many rows: childprotect.services.record_list_read).
"""

from __future__ import annotations

from typing import Any, ClassVar

from django.db.models import Model, QuerySet

from childprotect.access import not_found

_GUARDED = ("get_queryset", "get_object")


class ScopedViewSetMixin:
    audited_list: ClassVar[str] = ""  # the list's name in the audit log; empty: the list shows no child

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        for name in _GUARDED:
            if name in cls.__dict__:
                raise TypeError(
                    f"{cls.__name__} overrides {name}(); implement scoped_queryset(user) instead so the access "
                    "rule cannot be bypassed."
                )

    def scoped_queryset(self, user: Any) -> QuerySet[Any]:
        raise NotImplementedError(f"{type(self).__name__} must implement scoped_queryset(user)")

    def get_queryset(self) -> QuerySet[Any]:
        return self.scoped_queryset(self.request.user)  # type: ignore[attr-defined] # DRF view attribute

    def get_object(self) -> Model:
        queryset = self.filter_queryset(self.get_queryset())  # type: ignore[attr-defined] # GenericAPIView
        lookup_url_kwarg = self.lookup_url_kwarg or self.lookup_field  # type: ignore[attr-defined]
        value = self.kwargs[lookup_url_kwarg]  # type: ignore[attr-defined]
        try:
            obj: Model = queryset.get(**{self.lookup_field: value})  # type: ignore[attr-defined]
        except (queryset.model.DoesNotExist, ValueError, TypeError):
            raise not_found() from None
        self.check_object_permissions(self.request, obj)  # type: ignore[attr-defined]
        return obj

    def finalize_response(self, request: Any, response: Any, *args: Any, **kwargs: Any) -> Any:
        response = super().finalize_response(request, response, *args, **kwargs)  # type: ignore[misc] # APIView
        if self.audited_list and getattr(self, "action", None) == "list" and response.status_code == 200:
            from childprotect.services import record_list_read

            data = response.data
            rows = data.get("results", []) if isinstance(data, dict) else data
            filterset_class = getattr(self, "filterset_class", None)
            allowed = [*(filterset_class.base_filters if filterset_class else ()), "ordering"]
            record_list_read(
                actor=request.user,
                list_name=self.audited_list,
                params=request.query_params,
                allowed=allowed,
                rows=len(rows),
            )
        return response
