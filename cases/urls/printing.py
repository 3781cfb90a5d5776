"""Printing the case file: the print page and the PDFs (app namespace "cases")."""

from django.urls import path

from cases.views import printing

urlpatterns = [
    path("<int:pk>/print/", printing.print_page, name="print"),
    path("<int:pk>/print/ho-so.pdf", printing.print_file, name="print-file"),
    path("<int:pk>/print/<slug:form>/<int:record_id>.pdf", printing.print_form, name="print-form"),
]
