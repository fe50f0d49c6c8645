"""Request and response schemas of the courses API (their names are the OpenAPI components)."""

from ninja import Field, P, Path, Schema

#: Wagtail page ids are 32-bit integers; larger ids are refused before any query.
MAX_PAGE_ID = 2**31 - 1
PageId = Path[int, P(ge=1, le=MAX_PAGE_ID, description="A page id.")]


class Topic(Schema):
    slug: str
    name: str


class Progress(Schema):
    percent: int = Field(description="Required steps completed, in percent (0–100).")
    completed_count: int
    required_count: int
    completed: bool = Field(description="Every required step is complete.")
    started: bool


class CourseSummary(Schema):
    id: int
    title: str
    summary: str
    url: str | None = Field(description="The course page on the web site.")
    estimated_minutes: int
    credit_hours: float
    topics: list[Topic]
    progress: Progress


class StepOut(Schema):
    kind: str = Field(description="lesson | quiz")
    id: int
    title: str
    number: int
    required: bool
    completed: bool
    estimated_minutes: int
    url: str | None
    quiz_id: int | None = Field(description="For a quiz step: the quiz to start attempts of.")
    open: bool = Field(
        True,
        description="False for a quiz step that opens once the course's required lessons are "
        "done: starting its quiz is refused (409) until then.",
    )


class CourseDetail(CourseSummary):
    steps: list[StepOut]
    resume_step_id: int | None = Field(description="The step to open to continue the course.")


class NextStep(Schema):
    kind: str
    id: int
    title: str


class LessonCompletion(Schema):
    lesson_id: int
    course_id: int
    lesson_newly_completed: bool
    course_newly_completed: bool
    progress: Progress
    next_step: NextStep | None


class LessonOut(Schema):
    id: int
    course_id: int
    title: str
    intro: str
    estimated_minutes: int
    body_html: str = Field(description="The lesson's body, rendered as on the web page.")
    completed: bool
    minimum_reading_seconds: int = Field(
        description="Seconds on screen before the lesson can be completed (0: none)."
    )
    active_seconds: int = Field(description="Seconds it has been on my screen so far.")
    reading_left: int = Field(description="Seconds still to read before completing (0: none).")
    heartbeat_seconds: int = Field(
        description="Post a heartbeat this often while the lesson is on screen; a heartbeat "
        "counts the time since the previous one, at most 1.5 times this."
    )


class ReadingOut(Schema):
    active_seconds: int
    reading_left: int


class CourseListQuery(Schema):
    topic: str = Field("", max_length=60, description="Only courses of this topic (its slug).")
    q: str = Field("", max_length=100, description="Words of the title or summary.")
