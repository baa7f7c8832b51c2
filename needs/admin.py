from django.contrib import admin
from modeltranslation.admin import TabbedTranslationAdmin

from .models import NeedCategory


@admin.register(NeedCategory)
class NeedCategoryAdmin(TabbedTranslationAdmin):
    list_display = ["name", "slug", "order", "is_active"]
    list_editable = ["order", "is_active"]
    search_fields = ["name", "slug", "description"]
    prepopulated_fields = {"slug": ("name",)}
